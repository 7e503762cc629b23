import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../../packages/cdk/test/support/build-once.js';
import { validateAsl, withoutIntrinsics } from '../../../packages/cdk/test/support/stacks.js';

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'stepshift-etl-app-'));

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
let resources: Record<string, Resource> = {};

/** A state machine's DefinitionString (an Fn::Join) as the ASL object Step Functions gets. */
function definitionOf(resource: Resource): { StartAt: string; States: Record<string, unknown> } {
  const join = (resource.Properties['DefinitionString'] as { 'Fn::Join': [string, unknown[]] })[
    'Fn::Join'
  ];
  const text = join[1]
    .map((part) => (typeof part === 'string' ? part : String(withoutIntrinsics(part))))
    .join(join[0]);
  return JSON.parse(text) as { StartAt: string; States: Record<string, unknown> };
}

function machines(): Record<string, ReturnType<typeof definitionOf>> {
  return Object.fromEntries(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::StepFunctions::StateMachine')
      .map((r) => [r.Properties['StateMachineName'] as string, definitionOf(r)]),
  );
}

beforeAll(() => {
  ensureBuilt();
  // The real CLI, offline: prebuilt assets, no Docker, no lookups.
  const result = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', out], {
    cwd: appDir,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
  });
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.status).toBe(0);
  const template = JSON.parse(readFileSync(join(out, 'StepshiftEtl.template.json'), 'utf8')) as {
    Resources: Record<string, Resource>;
  };
  resources = template.Resources;
}, 180_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('example ETL app', () => {
  it('synthesizes one state machine per feature, each valid ASL', () => {
    const all = machines();
    expect(Object.keys(all).sort()).toEqual([
      'stepshift-BatchWithParameters',
      'stepshift-FailingSql',
      'stepshift-ParallelBranches',
      'stepshift-SlowQueryCancelled',
      'stepshift-SuccessChain',
    ]);
    for (const definition of Object.values(all)) {
      expect(validateAsl(definition)).toEqual({ isValid: true, errors: [] });
    }
  });

  it('chains statements and hands the counted rows to a Choice', () => {
    const { StartAt, States } = machines()['stepshift-SuccessChain']!;
    expect(StartAt).toBe('CreateTable');
    expect(Object.keys(States)).toEqual([
      'CreateTable',
      'LoadSales',
      'CountSales',
      'AnySales',
      'NoSales',
      'SalesLoaded',
    ]);
    expect(States['CountSales']).toMatchObject({
      ResultPath: '$.count',
      Parameters: {
        Payload: { sqlStatement: 'SELECT COUNT(*) AS total FROM sales', result: 'rows' },
      },
      Next: 'AnySales',
    });
    expect(States['AnySales']).toMatchObject({
      Choices: [{ Variable: '$.count.rows[0].total', NumericGreaterThan: 0, Next: 'SalesLoaded' }],
    });
  });

  it('catches failing SQL by its error name', () => {
    const { States } = machines()['stepshift-FailingSql']!;
    expect(States['QueryMissingTable']).toMatchObject({
      Catch: [
        {
          ErrorEquals: ['Stepshift.StatementFailed'],
          ResultPath: '$.error',
          Next: 'RecordSqlFailure',
        },
      ],
    });
  });

  it('cancels the slow statement after the heartbeat timeout and goes on', () => {
    const { States } = machines()['stepshift-SlowQueryCancelled']!;
    expect(States['SlowQuery']).toMatchObject({
      HeartbeatSeconds: 10,
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeoutError', Next: 'SlowQuery cancel' },
      ],
    });
    expect(States['SlowQuery cancel']).toMatchObject({
      Parameters: { Payload: { action: 'cancel', stateName: 'SlowQuery' } },
      ResultPath: null,
      Next: 'SlowQueryWasCancelled',
    });
  });

  it('runs a batch in one transaction with a parameter from the input', () => {
    const { States } = machines()['stepshift-BatchWithParameters']!;
    expect(States['ReplaceDay']).toMatchObject({
      Parameters: {
        Payload: {
          executionMode: 'TRANSACTION',
          sqlParameters: { 'day.$': '$.day' },
        },
      },
    });
  });

  it('runs two branches in parallel and fails the whole on a statement error', () => {
    const { States } = machines()['stepshift-ParallelBranches']!;
    expect(States['RefreshBoth']).toMatchObject({
      Type: 'Parallel',
      Catch: [
        {
          ErrorEquals: ['Stepshift.StatementFailed', 'Stepshift.StatementAborted'],
          Next: 'RefreshFailed',
        },
      ],
    });
  });

  it('marks the handlers for the sandbox and ships the prebuilt assets', () => {
    const roles = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Metadata?.['stepshift:role'])
      .sort();
    expect(roles).toEqual(['canceller', 'completer', 'reconciler', 'tasker']);
    const manifest = JSON.parse(readFileSync(join(out, 'StepshiftEtl.assets.json'), 'utf8')) as {
      files: Record<string, { source: { packaging: string } }>;
    };
    expect(Object.values(manifest.files).filter((f) => f.source.packaging === 'zip')).toHaveLength(
      4,
    );
  });
});
