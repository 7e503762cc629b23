import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DescribeStatementCommand, ExecuteStatementCommand } from '@aws-sdk/client-redshift-data';
import { afterAll, describe, expect, it } from 'vitest';
import { clientFor } from './support/conformance-suite.js';

const BIN = fileURLToPath(new URL('../../bin/stepshift.mjs', import.meta.url));

/** Collects a child's stdout lines; `waitFor` resolves when a line (seen or future) matches. */
function collectLines(child: ChildProcessWithoutNullStreams): {
  lines: string[];
  waitFor(pattern: RegExp): Promise<string>;
} {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.pattern.test(line))) w.resolve(line);
    }
  });
  return {
    lines,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => pattern.test(l));
        if (seen !== undefined) return resolve(seen);
        waiters.push({ pattern, resolve });
        child.once('exit', (code) =>
          reject(new Error(`stepshift serve exited with ${code}: ${lines.join('\n')}`)),
        );
      }),
  };
}

describe('stepshift serve', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints the endpoint, an example command, one line per request, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0']);
    children.push(child);
    const { lines, waitFor } = collectLines(child);
    const endpointLine = await waitFor(/^endpoint: /);
    const endpoint = endpointLine.slice('endpoint: '.length);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = clientFor(endpoint);
    const out = await client.send(
      new ExecuteStatementCommand({ ClusterIdentifier: 'local', Database: 'dev', Sql: 'SELECT 1' }),
    );
    const logged = waitFor(/DescribeStatement 200/);
    const d = await client.send(new DescribeStatementCommand({ Id: out.Id, WaitTimeSeconds: 5 }));
    expect(d.Status).toBe('FINISHED');
    await logged;
    client.destroy();
    const stopped = waitFor(/^stopped$/);
    child.kill('SIGTERM');
    await stopped;
    const code = await new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) resolve(child.exitCode);
      else child.once('exit', resolve);
    });
    expect(code).toBe(0);
    expect(lines[1]).toBe(
      `try: AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws redshift-data execute-statement --region us-east-1 --endpoint-url ${endpoint} --cluster-identifier local --database dev --sql "select 1"`,
    );
    expect(lines.filter((l) => / ExecuteStatement 200 /.test(l))).toHaveLength(1);
  });

  it('fails when --port is not a port number', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', 'abc']);
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain(
      'stepshift serve: --port must be an integer from 0 to 65535; got "abc"',
    );
  });
});
