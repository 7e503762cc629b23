/**
 * A loopback HTTP endpoint speaking the Step Functions wire protocol (awsJson1_0,
 * `X-Amz-Target: AWSStepFunctions.<Operation>`) for the callback operations, so the real
 * `@aws-sdk/client-sfn` (and the tasker/completer handlers using it) can complete tasks.
 * Errors carry AWS's `__type` names, which the SDK maps to its exception classes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackError } from './errors.js';
import type { TaskTokenRegistry } from './task-token-registry.js';

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** A request body larger than this is refused (SendTaskSuccess output is at most 256 KiB). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface SfnEndpoint {
  /** `http://127.0.0.1:PORT`, for `new SFNClient({ endpoint })` or `AWS_ENDPOINT_URL_SFN`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface SfnEndpointOptions {
  readonly tokens: TaskTokenRegistry;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

type Operation = (body: Record<string, unknown>) => unknown;

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startSfnEndpoint(options: SfnEndpointOptions): Promise<SfnEndpoint> {
  const { tokens } = options;
  const operations: Record<string, Operation> = {
    SendTaskSuccess: (body) => tokens.sendTaskSuccess(body['taskToken'], body['output']),
    SendTaskFailure: (body) =>
      tokens.sendTaskFailure(body['taskToken'], body['error'], body['cause']),
    SendTaskHeartbeat: (body) => tokens.sendTaskHeartbeat(body['taskToken']),
  };
  const server = createServer((req, res) => {
    void (async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX)
        ? operations[target.slice(TARGET_PREFIX.length)]
        : undefined;
      if (req.method !== 'POST' || operation === undefined) {
        const message = `The sandbox's Step Functions endpoint does not support '${target}' (supported: ${Object.keys(operations).join(', ')})`;
        send(
          res,
          400,
          { __type: 'UnknownOperationException', message },
          'UnknownOperationException',
        );
        return;
      }
      let body: Record<string, unknown>;
      try {
        const parsed = JSON.parse((await readBody(req)) || '{}') as unknown;
        if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
        body = parsed as Record<string, unknown>;
      } catch {
        send(
          res,
          400,
          { __type: 'SerializationException', message: 'The request body is not a JSON object' },
          'SerializationException',
        );
        return;
      }
      try {
        operation(body);
        send(res, 200, {});
      } catch (thrown) {
        if (thrown instanceof CallbackError) {
          send(
            res,
            thrown.statusCode,
            { __type: thrown.name, message: thrown.message },
            thrown.name,
          );
        } else {
          const message = thrown instanceof Error ? thrown.message : String(thrown);
          send(res, 500, { __type: 'InternalFailure', message }, 'InternalFailure');
        }
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    endpoint: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
