import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import {
  completionEventPattern,
  Defaults,
  EnvVars,
  executionEndEventPattern,
  TrackingTable,
} from '../../runtime/src/contract/index.js';
import { loadCdk } from './support/build-once.js';
import { getAtt, logicalId, newStack } from './support/stacks.js';

const { RedshiftTarget, SfnRedshiftTasker, StepshiftLogLevel } = await loadCdk();
type TaskerProps = ConstructorParameters<typeof SfnRedshiftTasker>[2];

const target = () =>
  RedshiftTarget.clusterWithDbUser({
    clusterIdentifier: 'analytics',
    database: 'dev',
    dbUser: 'etl',
  });

function synth(props: Partial<TaskerProps> = {}) {
  const stack = newStack();
  const tasker = new SfnRedshiftTasker(stack, 'T', { target: target(), taskerId: 'etl', ...props });
  return { stack, tasker, template: Template.fromStack(stack) };
}

function functionWithRole(template: Template, role: string) {
  const fns = template.findResources('AWS::Lambda::Function', {
    Metadata: { 'stepshift:role': role },
  });
  const entries = Object.entries(fns);
  expect(entries).toHaveLength(1);
  const [id, resource] = entries[0] as [string, { Properties: Record<string, unknown> }];
  return { id, props: resource.Properties };
}

describe('SfnRedshiftTasker resources', () => {
  it('creates the tracking table with the runtime schema, pay per request, PITR, TTL and the key', () => {
    const { template, stack, tasker } = synth();
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [{ AttributeName: TrackingTable.partitionKey.name, KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'statementName', AttributeType: 'S' },
          { AttributeName: 'executionArn', AttributeType: 'S' },
          { AttributeName: 'createdAt', AttributeType: 'N' },
          { AttributeName: 'pendingPartition', AttributeType: 'S' },
          { AttributeName: 'pendingSince', AttributeType: 'N' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: TrackingTable.ttlAttribute, Enabled: true },
        SSESpecification: {
          KMSMasterKeyId: getAtt(logicalId(stack, tasker.encryptionKey)),
          SSEEnabled: true,
          SSEType: 'KMS',
        },
        GlobalSecondaryIndexes: [
          {
            IndexName: TrackingTable.indexes.byExecution.indexName,
            KeySchema: [
              { AttributeName: 'executionArn', KeyType: 'HASH' },
              { AttributeName: 'createdAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: TrackingTable.indexes.pending.indexName,
            KeySchema: [
              { AttributeName: 'pendingPartition', KeyType: 'HASH' },
              { AttributeName: 'pendingSince', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
  });

  it('creates a KMS key with rotation whose policy lets EventBridge of this account encrypt for the queue', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: [
          {
            Action: 'kms:*',
            Effect: 'Allow',
            Principal: {
              AWS: {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']],
              },
            },
            Resource: '*',
          },
          {
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Resource: '*',
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it('creates an encrypted TLS-only queue with a dead-letter queue and a visibility timeout six times the completer timeout', () => {
    const { template, stack, tasker } = synth();
    const key = getAtt(logicalId(stack, tasker.encryptionKey));
    const dlq = logicalId(stack, tasker.deadLetterQueue!);
    const queue = logicalId(stack, tasker.queue);
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: key,
      VisibilityTimeout: 360,
      RedrivePolicy: {
        deadLetterTargetArn: getAtt(dlq),
        maxReceiveCount: Defaults.maxReceiveCount,
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: key,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Resource: getAtt(queue),
          },
          {
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': getAtt(logicalId(stack, tasker.rule)) } },
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Resource: getAtt(queue),
          },
        ],
        Version: '2012-10-17',
      },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlq }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Resource: getAtt(dlq),
          },
        ],
        Version: '2012-10-17',
      },
    });
  });

  it('matches only its own statement-name prefix with exactly the runtime pattern', () => {
    const { template, stack, tasker } = synth();
    expect(tasker.statementPrefix).toBe('stepshift.etl.');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: completionEventPattern('stepshift.etl.'),
      State: 'ENABLED',
      Targets: [{ Arn: getAtt(logicalId(stack, tasker.queue)), Id: 'Target0' }],
    });
  });

  it('routes ended executions to the canceller with the runtime pattern', () => {
    const { template, stack, tasker } = synth();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: executionEndEventPattern(),
      Targets: [
        {
          Arn: getAtt(logicalId(stack, tasker.cancellerFunction!)),
          Id: 'Target0',
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
        },
      ],
    });
  });

  it('narrows auto-cancel to the state machines granted with grantStateMachine', () => {
    const stack = newStack();
    const tasker = new SfnRedshiftTasker(stack, 'T', { target: target(), taskerId: 'etl' });
    const machine = (id: string) =>
      new sfn.StateMachine(stack, id, {
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)),
      });
    const a = machine('A');
    const b = machine('B');
    tasker.grantStateMachine(a);
    tasker.grantStateMachine(b);
    tasker.grantStateMachine(a);
    const expected = executionEndEventPattern(['ARN-A', 'ARN-B']);
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        ...expected,
        detail: {
          ...expected.detail,
          stateMachineArn: [{ Ref: logicalId(stack, a) }, { Ref: logicalId(stack, b) }],
        },
      },
    });
  });

  it('runs the reconciler every minute by default without retrying a missed run', () => {
    const { template, stack, tasker } = synth();
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        {
          Arn: getAtt(logicalId(stack, tasker.reconcilerFunction)),
          Id: 'Target0',
          RetryPolicy: { MaximumRetryAttempts: 0 },
        },
      ],
    });
  });

  it('gives every handler the contract environment, nodejs22.x, arm64, its log group and metadata for the sandbox', () => {
    const { template, stack, tasker } = synth();
    const table = { Ref: logicalId(stack, tasker.trackingTable) };
    const environment = {
      Variables: {
        [EnvVars.database]: 'dev',
        [EnvVars.clusterIdentifier]: 'analytics',
        [EnvVars.dbUser]: 'etl',
        [EnvVars.tableName]: table,
        [EnvVars.statementPrefix]: 'stepshift.etl.',
        [EnvVars.fastPathSeconds]: '0',
        [EnvVars.reconcileGraceSeconds]: '120',
        [EnvVars.trackingRetentionSeconds]: '604800',
        [EnvVars.logLevel]: 'INFO',
      },
    };
    const expected = {
      tasker: { timeout: 60, concurrency: 1 },
      completer: { timeout: 60, concurrency: 2 },
      reconciler: { timeout: 50, concurrency: 1 },
      canceller: { timeout: 30, concurrency: 1 },
    };
    for (const [role, { timeout, concurrency }] of Object.entries(expected)) {
      const { id, props } = functionWithRole(template, role);
      expect(props).toMatchObject({
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: timeout,
        ReservedConcurrentExecutions: concurrency,
        Environment: environment,
        Role: getAtt(logicalId(stack, tasker.role)),
      });
      expect(template.toJSON()['Resources'][id]['Metadata']).toMatchObject({
        'stepshift:role': role,
        'stepshift:statementPrefix': 'stepshift.etl.',
      });
    }
    template.resourceCountIs('AWS::Logs::LogGroup', 4);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('feeds the completer from the queue in batches with partial batch failures', () => {
    const { template, stack, tasker } = synth();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: Defaults.completerBatchSize,
      EventSourceArn: getAtt(logicalId(stack, tasker.queue)),
      FunctionName: { Ref: logicalId(stack, tasker.completerFunction) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      // The SQS poller ignores reserved concurrency: without this cap it invokes more
      // completers than are reserved, throttled batches count as receives and completion
      // events reach the dead-letter queue (the seed's weakness).
      ScalingConfig: { MaximumConcurrency: Defaults.completerReservedConcurrency },
    });
  });

  it('alarms on dead-letter depth, completer errors and orphaned statements', () => {
    const { template, stack, tasker } = synth();
    expect(tasker.alarms).toHaveLength(3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: getAtt(logicalId(stack, tasker.deadLetterQueue!), 'QueueName'),
        },
      ],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [
        { Name: 'FunctionName', Value: { Ref: logicalId(stack, tasker.completerFunction) } },
      ],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'OrphanedStatements-etl',
      Namespace: 'Stepshift',
      Statistic: 'Sum',
      Threshold: 1,
    });
    template.resourceCountIs('AWS::Logs::MetricFilter', 4);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.status = "ORPHANED") || ($.message = "*orphaned*") }',
      LogGroupName: {
        Ref: logicalId(stack, stack.node.findChild('T').node.findChild('CompleterLogs')),
      },
      MetricTransformations: [
        { MetricName: 'OrphanedStatements-etl', MetricNamespace: 'Stepshift', MetricValue: '1' },
      ],
    });
  });

  it('applies props: concurrency, fast path, reconcile settings, log level, tracing and merged environment', () => {
    const { template } = synth({
      taskerReservedConcurrency: 3,
      completerReservedConcurrency: 4,
      completerBatchSize: 5,
      maxReceiveCount: 7,
      fastPath: Duration.seconds(10),
      reconcileInterval: Duration.minutes(5),
      reconcileGrace: Duration.minutes(10),
      trackingRetention: Duration.days(1),
      logLevel: StepshiftLogLevel.DEBUG,
      tracing: true,
      taskerFunction: { memorySize: 512, environment: { EXTRA: 'yes' } },
    });
    const tasker = functionWithRole(template, 'tasker').props;
    expect(tasker).toMatchObject({
      MemorySize: 512,
      Timeout: 60,
      ReservedConcurrentExecutions: 3,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: {
          EXTRA: 'yes',
          STEPSHIFT_FAST_PATH_SECONDS: '10',
          STEPSHIFT_RECONCILE_GRACE_SECONDS: '600',
          STEPSHIFT_TRACKING_RETENTION_SECONDS: '86400',
          STEPSHIFT_LOG_LEVEL: 'DEBUG',
        },
      },
    });
    expect(functionWithRole(template, 'completer').props['ReservedConcurrentExecutions']).toBe(4);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 7 } });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('leaves out the canceller when auto-cancel is off', () => {
    const { template, tasker } = synth({ autoCancel: false });
    expect(tasker.cancellerFunction).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.resourceCountIs('AWS::Events::Rule', 2);
  });

  it('exposes the seed names and lets a state machine role invoke the tasker', () => {
    const stack = newStack();
    const tasker = new SfnRedshiftTasker(stack, 'T', { target: target(), taskerId: 'etl' });
    const sm = new sfn.StateMachine(stack, 'SM', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')),
    });
    tasker.grantStateMachine(sm);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, sm.role) }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: [
              getAtt(logicalId(stack, tasker.lambdaFunction)),
              {
                'Fn::Join': ['', [getAtt(logicalId(stack, tasker.lambdaFunction)), ':*']],
              },
            ],
          },
        ],
      },
    });
  });
});

describe('SfnRedshiftTasker side by side', () => {
  it('runs two taskers for different users, the second sharing the first table and key', () => {
    const stack = newStack();
    const first = new SfnRedshiftTasker(stack, 'Loader', { target: target(), taskerId: 'loader' });
    const second = new SfnRedshiftTasker(stack, 'Reporter', {
      target: RedshiftTarget.clusterWithDbUser({
        clusterIdentifier: 'analytics',
        database: 'reports',
        dbUser: 'reporter',
      }),
      taskerId: 'reporter',
      trackingTable: first.trackingTable,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::SQS::Queue', 4);
    expect(second.trackingTable).toBe(first.trackingTable);
    expect(second.encryptionKey).toBe(first.encryptionKey);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: completionEventPattern('stepshift.loader.'),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: completionEventPattern('stepshift.reporter.'),
    });
    const tableRef = { Ref: logicalId(stack, first.trackingTable) };
    expect(functionWithRoleAndPrefix(template, 'stepshift.reporter.')).toMatchObject({
      STEPSHIFT_TABLE_NAME: tableRef,
      STEPSHIFT_DATABASE: 'reports',
      STEPSHIFT_DB_USER: 'reporter',
    });
  });

  it('derives a stable default tasker id from the construct path', () => {
    const stack = newStack();
    const tasker = new SfnRedshiftTasker(stack, 'Etl', { target: target() });
    expect(tasker.statementPrefix).toMatch(/^stepshift\.S-Etl-[0-9A-F]{8}\.$/);
  });

  it('uses existing key, table and queue given as interfaces', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(
      stack,
      'K',
      'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    );
    const table = dynamodb.Table.fromTableName(stack, 'Tb', 'stepshift-tracking');
    const queue = sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:us-east-1:123456789012:done');
    const tasker = new SfnRedshiftTasker(stack, 'T', {
      target: target(),
      taskerId: 'etl',
      encryptionKey: key,
      trackingTable: table,
      queue,
    });
    const template = Template.fromStack(stack);
    expect(tasker.deadLetterQueue).toBeUndefined();
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    expect(tasker.alarms).toHaveLength(2);
    expect(functionWithRole(template, 'tasker').props['Environment']).toMatchObject({
      Variables: { STEPSHIFT_TABLE_NAME: 'stepshift-tracking' },
    });
  });

  it('warns how to grant EventBridge when the key is imported and the queue is created', () => {
    const stack = newStack();
    new SfnRedshiftTasker(stack, 'T', {
      target: target(),
      taskerId: 'etl',
      encryptionKey: kms.Key.fromKeyArn(
        stack,
        'K',
        'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
      ),
    });
    Annotations.fromStack(stack).hasWarning(
      '/S/T',
      Match.stringLikeRegexp('the encryption key is imported'),
    );
  });
});

function functionWithRoleAndPrefix(template: Template, prefix: string): Record<string, unknown> {
  const fns = template.findResources('AWS::Lambda::Function', {
    Metadata: { 'stepshift:role': 'tasker', 'stepshift:statementPrefix': prefix },
  });
  const [fn] = Object.values(fns) as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  }[];
  return fn!.Properties.Environment.Variables;
}

describe('SfnRedshiftTasker validation', () => {
  const build = (props: Partial<TaskerProps>) => () => synth(props);

  it('fails when the tasker reserved concurrency is below 1', () => {
    expect(build({ taskerReservedConcurrency: 0 })).toThrow(
      'taskerReservedConcurrency must be an integer from 1 to 9007199254740991 (received 0): a value below 1 would stop the function or queue from working; omit it for the default 1',
    );
  });

  it('fails when the completer reserved concurrency is not an integer', () => {
    expect(build({ completerReservedConcurrency: 1.5 })).toThrow(
      'completerReservedConcurrency must be an integer from 1 to 9007199254740991 (received 1.5): omit it for the default 2',
    );
  });

  it('fails when the completer reserved concurrency is below the SQS event source minimum of 2', () => {
    expect(build({ completerReservedConcurrency: 1 })).toThrow(
      'completerReservedConcurrency must be at least 2 (received 1): the SQS event source limits the completers it runs to 2-1000 (its maximum concurrency) and must not exceed the reserved concurrency, or throttled completion events end in the dead-letter queue; omit it for the default 2',
    );
  });

  it('fails when a handler timeout reaches the claim lease on tracking rows', () => {
    expect(build({ completerFunction: { timeout: Duration.minutes(5) } })).toThrow(
      "the completer function's timeout (300 s) must be under 300 s, the claim a handler holds on a tracking row while it sends a callback: set completerFunction.timeout to at most 299 s",
    );
    expect(build({ taskerFunction: { timeout: Duration.seconds(299) } })).not.toThrow();
  });

  it('fails when the batch size is over the SQS event source limit', () => {
    expect(build({ completerBatchSize: 11 })).toThrow(
      'completerBatchSize must be an integer from 1 to 10 (received 11): omit it for the default 10',
    );
  });

  it('fails when the fast path is longer than the Data API waits', () => {
    expect(build({ fastPath: Duration.seconds(31) })).toThrow(
      'fastPath must be whole seconds between 0 and 30 (received 31 s): the Data API waits at most 30 s (WaitTimeSeconds); use Duration.seconds(0) to turn the fast path off',
    );
  });

  it('fails when the reconcile interval is not whole minutes', () => {
    expect(build({ reconcileInterval: Duration.seconds(90) })).toThrow(
      'reconcileInterval must be whole minutes (received 90 s): EventBridge rate schedules count minutes; use Duration.minutes(n)',
    );
    expect(build({ reconcileInterval: Duration.seconds(30) })).toThrow(
      'reconcileInterval must be whole seconds between 60 and 9007199254740991 (received 30 s)',
    );
  });

  it('fails when the tasker id has characters a statement name cannot hold', () => {
    expect(build({ taskerId: 'my etl' })).toThrow(
      "invalid taskerId 'my etl': use 1-89 letters, digits or _ . : - (it becomes the statement-name prefix 'stepshift.my etl.')",
    );
    expect(build({ taskerId: 'x'.repeat(90) })).toThrow(/invalid taskerId 'x{90}'/);
  });

  it('fails when two taskers of a stack use one tasker id', () => {
    const stack = newStack();
    new SfnRedshiftTasker(stack, 'A', { target: target(), taskerId: 'etl' });
    expect(() => new SfnRedshiftTasker(stack, 'B', { target: target(), taskerId: 'etl' })).toThrow(
      "taskerId 'etl' is already used by S/A: two taskers with one prefix would complete each other's statements; give each a distinct taskerId",
    );
  });

  it("fails when the prefix of one tasker of a stack starts with another one's", () => {
    // Completion rules, the reconciler and the canceller match statement names by prefix:
    // 'stepshift.etl.' also matches 'stepshift.etl.nightly.<digest>', and on a shared table
    // the 'etl' reconciler would describe the other role's statements, be refused and fail
    // their tasks while they run.
    const message = (id: string, other: string, path: string) =>
      `taskerId '${id}' makes the statement prefix 'stepshift.${id}.', which overlaps the prefix 'stepshift.${other}.' of ${path}: the completion rule, reconciler and canceller of one would take the other's statements; choose ids where neither prefix starts with the other`;
    const first = newStack();
    new SfnRedshiftTasker(first, 'A', { target: target(), taskerId: 'etl' });
    expect(
      () => new SfnRedshiftTasker(first, 'B', { target: target(), taskerId: 'etl.nightly' }),
    ).toThrow(message('etl.nightly', 'etl', 'S/A'));
    const second = newStack();
    new SfnRedshiftTasker(second, 'A', { target: target(), taskerId: 'etl.nightly' });
    expect(() => new SfnRedshiftTasker(second, 'B', { target: target(), taskerId: 'etl' })).toThrow(
      message('etl', 'etl.nightly', 'S/A'),
    );
    const third = newStack();
    new SfnRedshiftTasker(third, 'A', { target: target(), taskerId: 'etl' });
    expect(
      () => new SfnRedshiftTasker(third, 'B', { target: target(), taskerId: 'etl_nightly' }),
    ).not.toThrow();
  });

  it('fails when a function override replaces a required variable', () => {
    expect(
      build({ completerFunction: { environment: { STEPSHIFT_TABLE_NAME: 'other' } } }),
    ).toThrow(
      "the completer function's environment may not override STEPSHIFT_TABLE_NAME: the construct sets them from its props (target, fastPath, reconcileGrace, trackingRetention, logLevel, taskerId); set those props instead",
    );
  });
});
