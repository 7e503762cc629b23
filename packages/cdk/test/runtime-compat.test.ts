import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { targetParameters } from '../../runtime/src/aws/data-api-target.js';
import { coreConfigOf, handlerConfigFromEnv } from '../../runtime/src/handlers/handler-config.js';
import { loadCdk, repoDir } from './support/build-once.js';
import { logicalId, newStack, policyStatements } from './support/stacks.js';

const { RedshiftTarget, SfnRedshiftTasker } = await loadCdk();
type Target = ReturnType<typeof RedshiftTarget.clusterWithIam>;

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:etl-AbCdEf';

/** The tasker function's environment as Lambda would see it (the table name resolved). */
function taskerEnvironment(makeTarget: (stack: ReturnType<typeof newStack>) => Target) {
  const stack = newStack();
  new SfnRedshiftTasker(stack, 'T', { target: makeTarget(stack), taskerId: 'etl' });
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function', {
    Metadata: { 'stepshift:role': 'tasker' },
  });
  const [fn] = Object.values(fns) as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  }[];
  return Object.fromEntries(
    Object.entries(fn!.Properties.Environment.Variables).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : 'stepshift-tracking',
    ]),
  ) as Record<string, string>;
}

const secret = (stack: ReturnType<typeof newStack>) =>
  secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', SECRET_ARN);

describe('the environment the construct sets, read by the runtime handlers', () => {
  const cases: [string, (s: ReturnType<typeof newStack>) => Target, Record<string, string>][] = [
    [
      'cluster with a database user',
      () =>
        RedshiftTarget.clusterWithDbUser({
          clusterIdentifier: 'c1',
          database: 'dev',
          dbUser: 'etl',
        }),
      { ClusterIdentifier: 'c1', Database: 'dev', DbUser: 'etl' },
    ],
    [
      'cluster with a secret',
      (s) =>
        RedshiftTarget.clusterWithSecret({
          clusterIdentifier: 'c1',
          database: 'dev',
          secret: secret(s),
        }),
      { ClusterIdentifier: 'c1', Database: 'dev', SecretArn: SECRET_ARN },
    ],
    [
      'cluster with IAM identity',
      () => RedshiftTarget.clusterWithIam({ clusterIdentifier: 'c1', database: 'dev' }),
      { ClusterIdentifier: 'c1', Database: 'dev' },
    ],
    [
      'workgroup with a secret',
      (s) =>
        RedshiftTarget.workgroupWithSecret({
          workgroupName: 'wg1',
          database: 'dev',
          secret: secret(s),
        }),
      { WorkgroupName: 'wg1', Database: 'dev', SecretArn: SECRET_ARN },
    ],
    [
      'workgroup with IAM identity',
      () => RedshiftTarget.workgroupWithIam({ workgroupName: 'wg1', database: 'dev' }),
      { WorkgroupName: 'wg1', Database: 'dev' },
    ],
  ];

  for (const [name, makeTarget, parameters] of cases) {
    it(`gives the Data API the right target fields for a ${name}`, () => {
      const config = handlerConfigFromEnv(taskerEnvironment(makeTarget), { needsTarget: true });
      expect(config).toMatchObject({
        tableName: 'stepshift-tracking',
        statementPrefix: 'stepshift.etl.',
        fastPathSeconds: 0,
        reconcileGraceSeconds: 120,
        trackingRetentionSeconds: 604800,
        logLevel: 'INFO',
      });
      expect(coreConfigOf(config)).toMatchObject({ statementPrefix: 'stepshift.etl.' });
      expect(targetParameters(config.target!)).toEqual(parameters);
    });
  }
});

/** IAM service prefix of each SDK client the runtime uses. */
const SERVICE_OF_CLIENT: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-redshift-data': 'redshift-data',
  '@aws-sdk/client-sfn': 'states',
};

/** `redshift-data:GetStatementResultV2` is authorized by `GetStatementResult`. */
const ACTION_OF_OPERATION: Record<string, string> = {
  'redshift-data:GetStatementResultV2': 'redshift-data:GetStatementResult',
};

/** Every `XCommand` the runtime's AWS adapters import, as the IAM action it needs. */
function actionsTheRuntimeCalls(): string[] {
  const dir = join(repoDir, 'packages', 'runtime', 'src', 'aws');
  const actions = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const m of source.matchAll(
      /import\s*(type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z-]+)'/g,
    )) {
      const service = SERVICE_OF_CLIENT[m[3]!];
      if (m[1] !== undefined || service === undefined) continue;
      for (const name of m[2]!.split(',').map((n) => n.trim().replace(/^type\s+/, ''))) {
        if (!/^[A-Z]\w*Command$/.test(name)) continue;
        const action = `${service}:${name.slice(0, -'Command'.length)}`;
        actions.add(ACTION_OF_OPERATION[action] ?? action);
      }
    }
  }
  return [...actions].sort();
}

describe('IAM against the SDK calls of the runtime', () => {
  it('grants exactly the DynamoDB, Data API and Step Functions actions the runtime calls', () => {
    const stack = newStack();
    const tasker = new SfnRedshiftTasker(stack, 'T', {
      target: RedshiftTarget.clusterWithDbUser({
        clusterIdentifier: 'c1',
        database: 'dev',
        dbUser: 'etl',
      }),
      taskerId: 'etl',
    });
    const statements = policyStatements(
      Template.fromStack(stack),
      logicalId(stack, tasker.role),
    ) as {
      Action: string | string[];
    }[];
    const granted = statements
      .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]))
      .filter((a) => /^(dynamodb|redshift-data|states):/.test(a));
    const used = actionsTheRuntimeCalls();
    expect(used.length).toBeGreaterThan(10);
    expect([...new Set(granted)].sort()).toEqual(used);
  });
});
