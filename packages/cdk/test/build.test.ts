import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBuilt, packageDir } from './support/build-once.js';

ensureBuilt();

const HANDLERS = ['tasker', 'completer', 'reconciler', 'canceller'];
const scratch = mkdtempSync(join(tmpdir(), 'stepshift-cdk-build-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function build(...args: string[]) {
  const result = spawnSync(process.execPath, [join(packageDir, 'scripts', 'build.mjs'), ...args], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

interface Assembly {
  name: string;
  targets: Record<string, unknown>;
  types: Record<string, { kind: string }>;
}

describe('jsii assembly', () => {
  const assembly = JSON.parse(readFileSync(join(packageDir, '.jsii'), 'utf8')) as Assembly;

  it('configures the Python target', () => {
    expect(assembly.name).toBe('@stepshift/cdk');
    expect(assembly.targets).toEqual({
      js: { npm: '@stepshift/cdk' },
      python: { distName: 'stepshift-cdk', module: 'stepshift_cdk' },
    });
  });

  it('exports the constructs, the target class, the structs and enums, nothing private', () => {
    expect(
      Object.entries(assembly.types)
        .map(([fqn, t]) => `${t.kind} ${fqn}`)
        .sort(),
    ).toEqual([
      'class @stepshift/cdk.RedshiftSqlTask',
      'class @stepshift/cdk.RedshiftTarget',
      'class @stepshift/cdk.SfnRedshiftTasker',
      'enum @stepshift/cdk.BatchExecutionMode',
      'enum @stepshift/cdk.RedshiftAuth',
      'enum @stepshift/cdk.StepshiftLogLevel',
      'interface @stepshift/cdk.ClusterDbUserTargetProps',
      'interface @stepshift/cdk.ClusterSecretTargetProps',
      'interface @stepshift/cdk.ClusterTargetProps',
      'interface @stepshift/cdk.HandlerFunctionOptions',
      'interface @stepshift/cdk.RedshiftSqlTaskProps',
      'interface @stepshift/cdk.RedshiftTargetOptions',
      'interface @stepshift/cdk.SfnRedshiftTaskerProps',
      'interface @stepshift/cdk.WorkgroupSecretTargetProps',
      'interface @stepshift/cdk.WorkgroupTargetProps',
    ]);
  });

  it('keeps API.md equal to what jsii-docgen generates from the assembly', () => {
    const out = join(scratch, 'API.md');
    expect(build('--only', 'docs', '--docs-out', out)).toMatchObject({ status: 0 });
    expect(
      readFileSync(join(packageDir, 'API.md'), 'utf8'),
      'API.md is stale: run `npm run build -w @stepshift/cdk` and commit API.md',
    ).toBe(readFileSync(out, 'utf8'));
  });
});

describe('handler bundles', () => {
  it('ships one minified ES module per handler, exporting handler', () => {
    for (const name of HANDLERS) {
      const dir = join(packageDir, 'assets', name);
      expect(readdirSync(dir)).toEqual(['index.mjs']);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
    }
  });

  it('bundles only the SDK clients each handler calls, no credential chain beyond the environment, no event streams, no mnemonist', () => {
    const clientsOf = (name: string) => {
      const meta = JSON.parse(
        readFileSync(join(packageDir, 'assets', '.meta', `${name}.json`), 'utf8'),
      ) as { inputs: Record<string, unknown> };
      const inputs = Object.keys(meta.inputs);
      expect(
        inputs.filter((f) =>
          /node_modules\/.*(nested-clients|credential-provider-(ini|sso|node)|event-streams|mnemonist|obliterator)/.test(
            f,
          ),
        ),
      ).toEqual([]);
      return [
        ...new Set(inputs.flatMap((f) => /@aws-sdk\/(client-[a-z0-9-]+)\//.exec(f)?.[1] ?? [])),
      ].sort();
    };
    const all = ['client-dynamodb', 'client-redshift-data', 'client-sfn'];
    expect(Object.fromEntries(HANDLERS.map((h) => [h, clientsOf(h)]))).toEqual({
      tasker: all,
      completer: all,
      reconciler: all,
      canceller: ['client-dynamodb', 'client-redshift-data'],
    });
  });

  it('fails when a handler entry is missing, naming it', () => {
    const entries = join(scratch, 'three-handlers');
    mkdirSync(entries, { recursive: true });
    for (const name of ['tasker', 'completer', 'reconciler']) {
      writeFileSync(join(entries, `${name}.ts`), 'export const handler = async () => 1;\n');
    }
    const { status, stderr } = build(
      '--only',
      'handlers',
      '--handlers-dir',
      entries,
      '--out-dir',
      join(scratch, 'out-missing'),
    );
    expect(status).toBe(1);
    expect(stderr).toBe(
      `@stepshift/cdk build failed: handler entries missing: ${join(entries, 'canceller.ts')}. Each Lambda asset is bundled from one of them; write the handler (exporting \`handler\`) or pass --handlers-dir.\n`,
    );
  });

  it('fails when a handler entry does not export handler', () => {
    const entries = join(scratch, 'no-export');
    mkdirSync(entries, { recursive: true });
    for (const name of HANDLERS) {
      const body =
        name === 'reconciler' ? 'export const main = 1;\n' : 'export const handler = 1;\n';
      writeFileSync(join(entries, `${name}.ts`), body);
    }
    const { status, stderr } = build(
      '--only',
      'handlers',
      '--handlers-dir',
      entries,
      '--out-dir',
      join(scratch, 'out-no-export'),
    );
    expect(status).toBe(1);
    expect(stderr).toBe(
      `@stepshift/cdk build failed: ${join(entries, 'reconciler.ts')} does not export \`handler\`: Lambda would fail to start\n`,
    );
  });

  it('fails when asked for an unknown step', () => {
    expect(build('--only', 'contract,lint')).toEqual({
      status: 1,
      stderr:
        '@stepshift/cdk build failed: unknown step(s) lint: choose from contract, handlers, jsii, docs\n',
    });
  });
});
