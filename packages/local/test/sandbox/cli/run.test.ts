import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const bin = join(root, 'packages/local/bin/stepshift.mjs');
const example = join(root, 'examples/asl/hello-handlers.asl.json');
const greeter = `Greeter=${join(root, 'examples/asl/handlers/greeter.mjs')}#handler`;

async function stepshift(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('stepshift run', () => {
  it('prints only the final result with --json and exits 0 on success', async () => {
    const result = await stepshift([
      'run',
      example,
      '--input',
      '{"name":"Ada"}',
      '--handler',
      greeter,
      '--json',
    ]);
    expect(result).toEqual({
      code: 0,
      stdout:
        '{"status":"SUCCEEDED","output":{"name":"Ada","result":{"greeting":"Hello, Ada!"}}}\n',
      stderr: expect.any(String) as string,
    });
  });

  it('fails with exit code 1 and the caught error when the handler throws', async () => {
    const result = await stepshift([
      'run',
      example,
      '--input',
      '{"name":""}',
      '--handler',
      greeter,
      '--json',
    ]);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { status: string; error: string; cause: string };
    expect(parsed.status).toBe('FAILED');
    expect(parsed.error).toBe('Greeter.InvalidName');
    expect(JSON.parse(parsed.cause)).toMatchObject({
      errorMessage: 'name must be a non-empty string',
      errorType: 'Greeter.InvalidName',
    });
  });

  it('fails when the task has no handler, naming the function and the flag', async () => {
    const result = await stepshift(['run', example, '--input', '{"name":"x"}', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'FAILED',
      error: 'Lambda.ResourceNotFoundException',
    });
    expect(result.stdout).toContain(
      'register one with --handler Greeter=./path/to/module.js#handler',
    );
  });

  it('shows progress, the result and the history, and writes the HTML report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepshift-run-'));
    const report = join(dir, 'report.html');
    const result = await stepshift([
      'run',
      example,
      '--input',
      '@' + join(root, 'packages/local/test/sandbox/cli/input.json'),
      '--handler',
      greeter,
      '--report',
      report,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('→ Greet (Task)');
    expect(result.stdout).toContain('status: SUCCEEDED');
    expect(result.stdout).toContain(
      'output: {"name":"Grace","result":{"greeting":"Hello, Grace!"}}',
    );
    expect(result.stdout).toMatch(/ {4}1 {4}0 {2}\S+ {2}ExecutionStarted/);
    expect(await readFile(report, 'utf8')).toContain('<svg');
  });

  it('fails with exit code 2 and the usage on bad arguments', async () => {
    const result = await stepshift(['run', example, '--time-scale', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "stepshift run: --time-scale must be a positive number, got '0'",
    );
    expect(result.stderr).toContain('usage: stepshift run <definition.asl.json> [options]');
  });

  it('runs a state machine of a cloud assembly with its resolved Lambda ARNs', async () => {
    const assembly = join(root, 'packages/local/test/assembly/fixtures/basic');
    const echo = `etl-dev-LegacyFnB7C8D9E0=${join(root, 'packages/local/test/sandbox/cli/echo-handler.mjs')}`;
    const result = await stepshift([
      'run',
      assembly,
      '--state-machine',
      'Etl/Sub',
      '--handler',
      echo,
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'SUCCEEDED',
      output: { stage: 'prod', zone: 'us-east-1b', env: 'production' },
    });
  });

  it('fails when a cloud assembly is given without --state-machine', async () => {
    const result = await stepshift([
      'run',
      join(root, 'packages/local/test/assembly/fixtures/basic'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'is a directory: give --state-machine ID to pick a state machine of the cloud assembly',
    );
  });

  it('runs SQL through a --tasker name on a database seeded with --sql-init', async () => {
    const machine = join(root, 'packages/local/test/sandbox/cli/count-customers.asl.json');
    const seed = join(root, 'packages/local/test/sandbox/cli/seed.sql');
    const result = await stepshift([
      'run',
      machine,
      '--tasker',
      'etl-tasker',
      '--sql-init',
      seed,
      '--json',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '{"status":"SUCCEEDED","output":{"n":2}}\n' });
  });

  it('runs a cloud assembly state machine through the SfnRedshiftTasker it names', async () => {
    const assembly = join(root, 'packages/local/test/assembly/fixtures/construct');
    const seed = join(root, 'packages/local/test/sandbox/cli/etl-seed.sql');
    const publish = `EtlApp-Publish2E9BDF73=${join(root, 'packages/local/test/sandbox/cli/echo-handler.mjs')}`;
    const args = [
      'run',
      assembly,
      '--state-machine',
      'EtlStateMachine',
      '--time-scale',
      '60',
      '--sql-init',
      seed,
    ];
    const result = await stepshift([...args, '--handler', publish, '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      status: string;
      output: { Payload: { statementName: string; rows: unknown } };
    };
    expect(parsed.status).toBe('SUCCEEDED');
    // The statement name carries the prefix of the tasker found by its construct metadata.
    expect(parsed.output.Payload.statementName.startsWith('stepshift.etl.')).toBe(true);
    expect(parsed.output.Payload.rows).toEqual([{ n: 0 }]);
  });

  it('aborts on Ctrl-C, and the canceller cancels the running statement', async () => {
    const slow = join(root, 'examples/asl/sql-heartbeat-timeout.asl.json');
    const child = spawn(
      process.execPath,
      [bin, 'run', slow, '--input', '{"heartbeatSeconds":3600}', '--no-history'],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    let stdout = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && stdout.includes('SlowQuery: task submitted')) {
        interrupted = true; // once: a second Ctrl-C kills the process outright
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(stdout).toContain('status: ABORTED');
    expect(stdout).toContain('error:  Sandbox.Interrupted');
    expect(stdout).toMatch(/SQL ABORTED in [\d.]+s: .*\[SlowQuery\] select pg_sleep\(20\)/);
  });

  it('keeps the database between runs with --data-dir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepshift-data-'));
    const machine = join(root, 'packages/local/test/sandbox/cli/count-customers.asl.json');
    const seed = join(root, 'packages/local/test/sandbox/cli/seed.sql');
    const common = ['run', machine, '--tasker', 'etl-tasker', '--data-dir', dir, '--json'];
    const first = await stepshift([...common, '--sql-init', seed]);
    expect(first.stdout).toBe('{"status":"SUCCEEDED","output":{"n":2}}\n');
    const second = await stepshift(common);
    expect(second.stdout).toBe('{"status":"SUCCEEDED","output":{"n":2}}\n');
  });
});
