import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedshiftDataEmulator, type RedshiftDataEmulator } from '../../src/emulator/index.js';

const run = promisify(execFile);
/** The first `aws` on the PATH (CI installs Debian's `awscli` when it can), then the usual places. */
const AWS_CLI = [
  ...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'aws')),
  '/usr/bin/aws',
  '/usr/local/bin/aws',
].find((p) => p !== 'aws' && existsSync(p));

if (AWS_CLI === undefined) console.warn('skipping the AWS CLI test: no `aws` executable found');

// Skips only when the AWS CLI is not installed (reason printed above).
describe.skipIf(AWS_CLI === undefined)('the real AWS CLI against the emulator', () => {
  let emulator: RedshiftDataEmulator;
  beforeAll(async () => {
    emulator = await startRedshiftDataEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const { stdout } = await run(
      AWS_CLI as string,
      [
        'redshift-data',
        ...args,
        '--endpoint-url',
        emulator.endpoint,
        '--region',
        'us-east-1',
        '--output',
        'json',
      ],
      {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_PAGER: '',
        },
      },
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it('executes, describes and reads a parameterized statement', async () => {
    const started = await aws(
      'execute-statement',
      '--cluster-identifier',
      'local',
      '--database',
      'dev',
      '--sql',
      'SELECT :n::int * 2 AS doubled',
      '--parameters',
      'name=n,value=21',
    );
    const id = started['Id'] as string;
    let described = await aws('describe-statement', '--id', id);
    for (let i = 0; i < 20 && described['Status'] !== 'FINISHED'; i++) {
      described = await aws('describe-statement', '--id', id);
    }
    expect(described['Status']).toBe('FINISHED');
    expect(typeof described['CreatedAt']).toBe('number');
    const result = await aws('get-statement-result', '--id', id);
    expect(result['Records']).toEqual([[{ longValue: 42 }]]);
    expect(result['TotalNumRows']).toBe(1);
  });

  it('fails with the AWS error type when the statement does not exist', async () => {
    await expect(aws('describe-statement', '--id', 'missing')).rejects.toMatchObject({
      stderr: expect.stringContaining(
        'An error occurred (ResourceNotFoundException) when calling the DescribeStatement operation: Query does not exist.',
      ) as unknown,
    });
  });
});
