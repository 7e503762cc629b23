import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startRedshiftDataEmulator, type RedshiftDataEmulator } from '@stepshift/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startLocalDynamoDb,
  type LocalDynamoDb,
} from '../../runtime/test/support/local-dynamodb.js';
import { sqsEvent } from '../../runtime/test/support/sqs-records.js';
import { ensureBuilt, packageDir } from './support/build-once.js';

/**
 * The shipped assets themselves, not the TypeScript they come from: each bundle runs in a fresh
 * Node process with only a Lambda-like environment (credentials in AWS_* variables, endpoints
 * in AWS_ENDPOINT_URL_*), against dynalite, the Data API emulator and a Step Functions endpoint
 * that records callbacks. The build's substitutions run as the handlers use them: the
 * environment-only credentials sign every call, the event-stream stub is never reached, and
 * the Map-based LRU cache is built by the DynamoDB client (endpoint discovery is off, so only
 * its constructor runs; test/lru-cache-shim.test.ts covers the rest).
 */
ensureBuilt();

interface SfnCall {
  readonly operation: string;
  readonly body: Record<string, unknown>;
}

/** Step Functions' awsJson1_0 wire protocol, enough for SendTask*: records and answers `{}`. */
async function startSfnRecorder(): Promise<{ endpoint: string; calls: SfnCall[]; server: Server }> {
  const calls: SfnCall[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      calls.push({
        operation: target.replace(/^AWSStepFunctions\./, ''),
        body: JSON.parse(text) as Record<string, unknown>,
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    server,
  };
}

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:etl:run-1';

describe('the bundled handlers, run as Lambda runs them', () => {
  let dynamo: LocalDynamoDb;
  let emulator: RedshiftDataEmulator;
  let sfn: Awaited<ReturnType<typeof startSfnRecorder>>;
  let env: Record<string, string>;
  const events: unknown[] = [];

  beforeAll(async () => {
    [dynamo, emulator, sfn] = await Promise.all([
      startLocalDynamoDb(),
      startRedshiftDataEmulator(),
      startSfnRecorder(),
    ]);
    emulator.events.subscribe((event) => events.push(event));
    env = {
      PATH: process.env['PATH'] ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'ASIALOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_SESSION_TOKEN: 'local-session',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_REDSHIFT_DATA: emulator.endpoint,
      AWS_ENDPOINT_URL_SFN: sfn.endpoint,
      STEPSHIFT_TABLE_NAME: await dynamo.createTrackingTable(),
      STEPSHIFT_STATEMENT_PREFIX: 'stepshift.bundle.',
      STEPSHIFT_CLUSTER_IDENTIFIER: 'etl-cluster',
      STEPSHIFT_DATABASE: 'dev',
      STEPSHIFT_DB_USER: 'etl',
      STEPSHIFT_FAST_PATH_SECONDS: '0',
      STEPSHIFT_RECONCILE_GRACE_SECONDS: '0',
      STEPSHIFT_LOG_LEVEL: 'ERROR',
    };
  }, 60_000);
  afterAll(async () => {
    await Promise.all([
      dynamo?.close(),
      emulator?.close(),
      sfn && new Promise((resolve) => sfn.server.close(resolve)),
    ]);
  });

  /** Imports assets/<name>/index.mjs in a fresh Node process and calls `handler(event)`. */
  function invoke(name: string, event: unknown): Promise<unknown> {
    const bundle = pathToFileURL(join(packageDir, 'assets', name, 'index.mjs')).href;
    const script =
      'const { handler } = await import(process.argv[1]);' +
      'const result = await handler(JSON.parse(process.argv[2]));' +
      'process.stdout.write(JSON.stringify(result ?? null));';
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--input-type=module', '-e', script, bundle, JSON.stringify(event)],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(JSON.parse(stdout));
        else reject(new Error(`${name} bundle exited with ${code}: ${stderr}`));
      });
    });
  }

  async function eventFor(statementId: string): Promise<unknown> {
    for (let waited = 0; waited < 20_000; waited += 20) {
      const found = events.find(
        (e) => (e as { detail: { statementId: string } }).detail.statementId === statementId,
      );
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no completion event for ${statementId}`);
  }

  it('tasker then completer: the statement runs and its rows reach the task', async () => {
    const started = (await invoke('tasker', {
      taskToken: 'token-rows',
      executionArn: EXECUTION,
      stateName: 'Answer',
      sqlStatement: 'select 41 + :n as answer',
      sqlParameters: { n: 1 },
      result: 'rows',
    })) as { statementId: string; statementName: string; status: string };
    expect(started).toMatchObject({
      statementName: expect.stringMatching(/^stepshift\.bundle\./) as unknown,
      status: 'SUBMITTED',
    });

    const completion = await eventFor(started.statementId);
    expect(await invoke('completer', sqsEvent(completion))).toEqual({ batchItemFailures: [] });

    expect(sfn.calls).toHaveLength(1);
    const [call] = sfn.calls;
    expect(call?.operation).toBe('SendTaskSuccess');
    expect(call?.body['taskToken']).toBe('token-rows');
    expect(JSON.parse(String(call?.body['output']))).toMatchObject({
      statementId: started.statementId,
      status: 'FINISHED',
      rows: [{ answer: 42 }],
    });
  });

  it('canceller then reconciler: an aborted execution stops its statement and fails its task', async () => {
    sfn.calls.length = 0;
    const started = (await invoke('tasker', {
      taskToken: 'token-slow',
      executionArn: EXECUTION,
      stateName: 'Slow',
      sqlStatement: 'select pg_sleep(60)',
    })) as { statementId: string };

    const cancelled = await invoke('canceller', {
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { executionArn: EXECUTION, status: 'ABORTED' },
    });
    expect(cancelled).toMatchObject({
      action: 'cancelled',
      result: { statements: [{ statementId: started.statementId, cancelled: true }] },
    });

    // The completion event is not delivered: the reconciler finds the statement ended.
    await eventFor(started.statementId);
    expect(await invoke('reconciler', {})).toEqual({
      examined: 1,
      actions: { completed: 1 },
    });
    expect(sfn.calls.map((c) => [c.operation, c.body['taskToken'], c.body['error']])).toEqual([
      ['SendTaskFailure', 'token-slow', 'Stepshift.StatementAborted'],
    ]);
  });
});
