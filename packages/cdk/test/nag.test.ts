import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadCdk } from './support/build-once.js';
import { ACCOUNT, REGION } from './support/stacks.js';

const { RedshiftTarget, SfnRedshiftTasker, RedshiftSqlTask } = await loadCdk();
type Target = ReturnType<typeof RedshiftTarget.clusterWithIam>;

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl-AbCdEf';
const secret = (stack: Stack) =>
  secretsmanager.Secret.fromSecretCompleteArn(stack, 'Secret', SECRET_ARN);

const targets: Record<string, (stack: Stack) => Target> = {
  'cluster with a database user': () =>
    RedshiftTarget.clusterWithDbUser({
      clusterIdentifier: 'analytics',
      database: 'dev',
      dbUser: 'etl',
    }),
  'cluster with a secret': (stack) =>
    RedshiftTarget.clusterWithSecret({
      clusterIdentifier: 'analytics',
      database: 'dev',
      secret: secret(stack),
    }),
  'cluster with IAM identity': () =>
    RedshiftTarget.clusterWithIam({ clusterIdentifier: 'analytics', database: 'dev' }),
  'workgroup with a secret': (stack) =>
    RedshiftTarget.workgroupWithSecret({
      workgroupName: 'etl-wg',
      workgroupId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      database: 'dev',
      secret: secret(stack),
    }),
  'workgroup with IAM identity': () =>
    RedshiftTarget.workgroupWithIam({
      workgroupName: 'etl-wg',
      workgroupId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      database: 'dev',
    }),
};

/** A stack as a user would write it: a tasker and a state machine with logging and tracing. */
function userApp(makeTarget: (stack: Stack) => Target): App {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: ACCOUNT, region: REGION } });
  const tasker = new SfnRedshiftTasker(stack, 'Tasker', {
    target: makeTarget(stack),
    taskerId: 'etl',
    tracing: true,
  });
  const task = new RedshiftSqlTask(stack, 'Load', {
    tasker,
    sql: 'CALL load()',
    cancelOnTimeout: true,
  });
  const machine = new sfn.StateMachine(stack, 'Etl', {
    definitionBody: sfn.DefinitionBody.fromChainable(task),
    tracingEnabled: true,
    logs: {
      destination: new logs.LogGroup(stack, 'EtlLogs', { retention: logs.RetentionDays.ONE_MONTH }),
      level: sfn.LogLevel.ALL,
    },
  });
  tasker.grantStateMachine(machine);
  // The user's own role: LambdaInvoke grants every version of the tasker (`<arn>:*`).
  const fnArn = `<${stack.getLogicalId(tasker.lambdaFunction.node.defaultChild as CfnElement)}.Arn>`;
  Validations.of(machine.role.node.findChild('DefaultPolicy')).acknowledge(
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${fnArn}:*]`,
      reason:
        'CDK LambdaInvoke lets the state machine call any version or alias of the tasker function it created; the function itself is fixed.',
    },
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:CreateLogDelivery and related) and X-Ray tracing actions support no resource type; CDK adds them for logging ALL and tracing.',
    },
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return app;
}

/** Synthesizes; cdk-nag's plugin interrupts synthesis with a report when a finding is left. */
function synthReport(app: App): string {
  try {
    app.synth();
    return 'no findings';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

describe('cdk-nag AwsSolutions', () => {
  for (const [name, makeTarget] of Object.entries(targets)) {
    it(`reports no unacknowledged finding for a ${name}`, () => {
      expect(synthReport(userApp(makeTarget))).toBe('no findings');
    });
  }

  it('fails when the workgroup id is unknown, since the workgroup wildcard is deliberately not acknowledged', () => {
    const report = synthReport(
      userApp(() => RedshiftTarget.workgroupWithIam({ workgroupName: 'etl-wg', database: 'dev' })),
    );
    expect(report).toContain(
      "Acknowledge with 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:redshift-serverless:us-east-1:123456789012:workgroup/*]'",
    );
  });

  it('gives every acknowledgment of the construct a reason a reviewer can check', () => {
    const app = userApp(targets['cluster with a database user']!);
    const stack = app.node.findChild('S');
    const acknowledged = stack.node
      .findChild('Tasker')
      .node.findAll()
      .flatMap((c) =>
        c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
      )
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id, reason })),
      );
    expect(acknowledged.map((a) => a.id).sort()).toEqual([
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:us-east-1:123456789012:stateMachine:*]',
      'AwsSolutions::AwsSolutions-L1',
      'AwsSolutions::AwsSolutions-L1',
      'AwsSolutions::AwsSolutions-L1',
      'AwsSolutions::AwsSolutions-L1',
      'AwsSolutions::AwsSolutions-SQS3',
    ]);
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(100);
  });
});
