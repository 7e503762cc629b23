import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { targetParameters } from '../../runtime/src/aws/data-api-target.js';
import { coreConfigOf, handlerConfigFromEnv } from '../../runtime/src/handlers/handler-config.js';
import { loadCdk } from './support/build-once.js';
import { newStack } from './support/stacks.js';

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
