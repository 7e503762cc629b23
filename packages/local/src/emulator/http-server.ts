import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Operation } from './data-api.js';
import {
  DataApiError,
  InternalServerException,
  SerializationException,
  UnknownOperationException,
} from './errors.js';
import type { WireInput } from './wire-input.js';

/** The awsJson1_1 target prefix of the Data API (`X-Amz-Target: RedshiftData.<Op>`). */
const TARGET_PREFIX = 'RedshiftData.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Request bodies above this are refused (the largest legal request, a 40-statement batch of 100 KB each, is ~4 MB). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** One line per request, for `stepshift serve`. */
export interface RequestLogEntry {
  readonly operation: string;
  readonly status: number;
  readonly millis: number;
  readonly error: string | undefined;
}

export interface DataApiServerOptions {
  readonly host: string;
  readonly port: number;
  readonly operations: Readonly<Record<string, Operation>>;
  readonly onRequest: ((entry: RequestLogEntry) => void) | undefined;
}

/**
 * The HTTP front: awsJson1_1 over POST, any path, any (or no) signature. Every failure is an
 * awsJson error body (`__type` + `message`) with AWS's status code, never a stack trace.
 */
export async function startDataApiServer(
  options: DataApiServerOptions,
): Promise<{ server: Server; endpoint: string }> {
  const server = createServer((req, res) => {
    void handle(req, res, options);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, endpoint: `http://${host}:${address.port}` };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: DataApiServerOptions,
): Promise<void> {
  const started = performance.now();
  const requestId = randomUUID();
  const target = String(req.headers['x-amz-target'] ?? '');
  const operationName = target.startsWith(TARGET_PREFIX)
    ? target.slice(TARGET_PREFIX.length)
    : target;
  let status = 200;
  let body: Record<string, unknown>;
  let errorName: string | undefined;
  try {
    const raw = await readBody(req);
    const operation = options.operations[operationName];
    if (req.method !== 'POST' || operation === undefined || !target.startsWith(TARGET_PREFIX)) {
      throw new UnknownOperationException(
        `Unknown operation ${JSON.stringify(target)}: send POST with X-Amz-Target: RedshiftData.<Operation>.`,
      );
    }
    body = await operation(parseInput(raw));
  } catch (error) {
    const e =
      error instanceof DataApiError ? error : new InternalServerException(describeInternal(error));
    status = e.httpStatus;
    errorName = e.name;
    body = { __type: e.name, message: e.message, Message: e.message, ...e.members };
  }
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': requestId,
  };
  if (errorName !== undefined) headers['x-amzn-errortype'] = errorName;
  res.writeHead(status, headers);
  res.end(payload);
  options.onRequest?.({
    operation: operationName || '(none)',
    status,
    millis: performance.now() - started,
    error: errorName,
  });
}

function describeInternal(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `The emulator failed to process the request: ${message}`;
}

function parseInput(raw: string): WireInput {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new SerializationException('The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SerializationException('The request body must be a JSON object.');
  }
  return parsed as WireInput;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new SerializationException(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
