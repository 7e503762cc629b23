import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AmbiguousStateMachineError,
  CloudAssemblyNotFoundError,
  InvalidAssemblyContentError,
  loadStateMachineFromAssembly,
  StateMachineNotFoundError,
  UnresolvableIntrinsicError,
} from '../../src/assembly/index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const basic = join(fixtures, 'basic');
const stage = join(fixtures, 'stage');
const nested = join(fixtures, 'nested');
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

describe('loadStateMachineFromAssembly', () => {
  it('resolves Fn::Join with Ref, Fn::GetAtt (both forms) and pseudo parameters into ASL', async () => {
    const loaded = await loadStateMachineFromAssembly(basic, 'Pipeline');

    expect(loaded.definition).toEqual({
      StartAt: 'Create',
      States: {
        Create: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: {
            FunctionName: `${ARN}:etl-dev-TaskerCCA627D5`,
            Payload: { 'taskToken.$': '$$.Task.Token', sqlStatement: 'create table t (id int)' },
          },
          Next: 'Publish',
        },
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'etl-dev-publish' },
          Next: 'Notify',
        },
        Notify: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: {
            QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/etl-notify',
            'MessageBody.$': '$',
          },
          Next: 'Log',
        },
        Log: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {
            TableName: 'etl-runs',
            TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/etl-runs',
            Item: {},
          },
          Next: 'Legacy',
        },
        Legacy: { Type: 'Task', Resource: `${ARN}:etl-dev-LegacyFnB7C8D9E0`, End: true },
      },
    });
    expect({
      stateMachineName: loaded.stateMachineName,
      stateMachineArn: loaded.stateMachineArn,
      logicalId: loaded.logicalId,
      constructPath: loaded.constructPath,
      stackName: loaded.stackName,
    }).toEqual({
      stateMachineName: 'PipelineA1B2C3D4',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:PipelineA1B2C3D4',
      logicalId: 'PipelineA1B2C3D4',
      constructPath: 'Etl/Pipeline',
      stackName: 'etl-dev',
    });
  });

  it('finds a state machine by construct id, construct path, path with /Resource, logical id or name', async () => {
    const names = await Promise.all(
      [
        'Sub',
        'Etl/Sub',
        '/Etl/Sub/Resource',
        'SubMachine9F8E7D6C',
        'etl-sub',
        'etl-dev/SubMachine9F8E7D6C',
      ].map(async (query) => (await loadStateMachineFromAssembly(basic, query)).logicalId),
    );

    expect(names).toEqual(Array(6).fill('SubMachine9F8E7D6C'));
  });

  it('resolves Fn::Sub with pseudo parameters, attributes, parameters, escapes and a variable map', async () => {
    const loaded = await loadStateMachineFromAssembly(basic, 'Sub');

    expect(loaded.stateMachineName).toBe('etl-sub');
    expect(loaded.definition).toEqual({
      Comment: 'etl-dev in us-east-1/123456789012 on aws.amazonaws.com, literal ${NotAVariable}',
      StartAt: 'Run',
      States: {
        Run: {
          Type: 'Task',
          Resource: `${ARN}:etl-dev-LegacyFnB7C8D9E0`,
          Parameters: {
            stage: 'prod',
            zone: 'us-east-1b',
            env: 'production',
            bucketSize: 'large',
            topic: 'arn:aws:sns:us-east-1:123456789012:etl-dev-AlertsTopic',
            stackId:
              'arn:aws:cloudformation:us-east-1:123456789012:stack/etl-dev/00000000-0000-4000-8000-000000000000',
          },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    });
  });

  it('uses the given region and account for pseudo parameters and ARNs', async () => {
    const loaded = await loadStateMachineFromAssembly(basic, 'Sub', {
      region: 'eu-west-1',
      accountId: '210987654321',
    });

    expect(loaded.stateMachineArn).toBe(
      'arn:aws:states:eu-west-1:210987654321:stateMachine:etl-sub',
    );
    expect((loaded.definition as { Comment: string }).Comment).toBe(
      'etl-dev in eu-west-1/210987654321 on aws.amazonaws.com, literal ${NotAVariable}',
    );
  });

  it('resolves the object Definition form, Fn::Split, AWS::NoValue and DefinitionSubstitutions', async () => {
    const loaded = await loadStateMachineFromAssembly(basic, 'ObjectForm');

    expect(loaded.definition).toEqual({
      StartAt: 'Go',
      States: {
        Go: {
          Type: 'Task',
          Resource: `${ARN}:etl-dev-publish`,
          Parameters: {
            FunctionName: 'etl-dev-publish',
            'Parts.$': 'States.ArrayPartition($.items, 2)',
            Pieces: ['a', 'b', 'c'],
          },
          End: true,
        },
      },
    });
  });

  it('reads a definition stored as an S3 asset inside a nested stage assembly, with its metadata file', async () => {
    const loaded = await loadStateMachineFromAssembly(stage, 'Prod/Etl/Pipeline');

    expect(loaded.definition).toEqual({
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: `${ARN}:Prod-Etl-Worker5A6B7C8D`, End: true } },
    });
    expect(loaded.stackName).toBe('Prod-Etl');
    expect(loaded.lambdaFunctions).toEqual({ Worker5A6B7C8D: `${ARN}:Prod-Etl-Worker5A6B7C8D` });
    expect(loaded.functions[0]!.constructPath).toBe('Prod/Etl/Worker');
  });

  it('reads a state machine of a nested stack, its parameters resolved in the parent, with the parent’s tasker', async () => {
    const loaded = await loadStateMachineFromAssembly(nested, 'Parent/Child/NestedMachine');

    expect(loaded.definition).toEqual({
      StartAt: 'Sql',
      States: {
        Sql: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: `${ARN}:Parent-TaskerCCA627D5` },
          Next: 'Inner',
        },
        Inner: {
          Type: 'Task',
          Resource: `${ARN}:Parent-ChildNestedStackChildNestedStackResourceC40294CA-InnerFnA`,
          End: true,
        },
      },
    });
    expect([loaded.stackName, loaded.constructPath]).toEqual([
      'Parent-ChildNestedStackChildNestedStackResourceC40294CA',
      'Parent/Child/NestedMachine',
    ]);
    expect(
      loaded.taskers.map((t) => [t.functionArn, t.statementPrefix, t.reservedConcurrency]),
    ).toEqual([[`${ARN}:Parent-TaskerCCA627D5`, 'stepshift.parent.', 2]]);
    expect(Object.keys(loaded.lambdaFunctions)).toEqual(['TaskerCCA627D5', 'InnerFnA982B017']);
  });

  it('returns the Stepshift tasker with its configuration resolved from the template', async () => {
    const { taskers } = await loadStateMachineFromAssembly(basic, 'Pipeline');

    expect(taskers).toHaveLength(1);
    const { handlers, ...tasker } = taskers[0]!;
    expect(tasker).toEqual({
      logicalId: 'TaskerCCA627D5',
      constructPath: 'Etl/Tasker/Tasker',
      functionName: 'etl-dev-TaskerCCA627D5',
      functionArn: `${ARN}:etl-dev-TaskerCCA627D5`,
      statementPrefix: 'stepshift.etl.',
      tableName: 'etl-dev-TaskerTrackingTable629A6F13',
      database: 'analytics',
      clusterIdentifier: 'analytics-cluster',
      workgroupName: undefined,
      dbUser: 'etl_user',
      secretArn: undefined,
      fastPathSeconds: 5,
      reconcileGraceSeconds: 90,
      reservedConcurrency: 3,
      completerReservedConcurrency: 4,
      completerBatchSize: 8,
      maxReceiveCount: 7,
      reconcileIntervalSeconds: 120,
      environment: {
        STEPSHIFT_DATABASE: 'analytics',
        STEPSHIFT_CLUSTER_IDENTIFIER: 'analytics-cluster',
        STEPSHIFT_DB_USER: 'etl_user',
        STEPSHIFT_TABLE_NAME: 'etl-dev-TaskerTrackingTable629A6F13',
        STEPSHIFT_STATEMENT_PREFIX: 'stepshift.etl.',
        STEPSHIFT_FAST_PATH_SECONDS: '5',
        STEPSHIFT_RECONCILE_GRACE_SECONDS: '90',
        STEPSHIFT_LOG_LEVEL: 'INFO',
      },
    });
    expect(Object.keys(handlers)).toEqual(['tasker', 'completer', 'reconciler']);
    expect(handlers.tasker!.codeAssetPath).toBe(
      join(basic, 'asset.1111111111111111111111111111111111111111111111111111111111111111'),
    );
    expect(handlers.completer!.functionArn).toBe(`${ARN}:etl-dev-TaskerCompleterAAC1F9CD`);
  });

  it('lists every Lambda function, naming the environment variables it cannot resolve', async () => {
    const { lambdaFunctions, functions } = await loadStateMachineFromAssembly(basic, 'Pipeline');

    expect(lambdaFunctions).toEqual({
      TaskerCCA627D5: `${ARN}:etl-dev-TaskerCCA627D5`,
      TaskerCompleterAAC1F9CD: `${ARN}:etl-dev-TaskerCompleterAAC1F9CD`,
      TaskerReconciler34263EA2: `${ARN}:etl-dev-TaskerReconciler34263EA2`,
      PublishFn5F8B2A1C: `${ARN}:etl-dev-publish`,
      LegacyFnB7C8D9E0: `${ARN}:etl-dev-LegacyFnB7C8D9E0`,
    });
    expect(functions.find((f) => f.logicalId === 'PublishFn5F8B2A1C')).toEqual({
      logicalId: 'PublishFn5F8B2A1C',
      constructPath: 'Etl/PublishFn',
      functionName: 'etl-dev-publish',
      functionArn: `${ARN}:etl-dev-publish`,
      handler: 'publish.handler',
      runtime: 'nodejs22.x',
      codeAssetPath: undefined,
      reservedConcurrency: undefined,
      environment: { TOPIC: 'arn:aws:sns:us-east-1:123456789012:etl-dev-AlertsTopic' },
      unresolvedEnvironment: ['UPSTREAM'],
    });
  });

  it('fails when the directory does not exist', async () => {
    const missing = join(fixtures, 'no-such-dir');

    await expect(loadStateMachineFromAssembly(missing, 'Pipeline')).rejects.toThrow(
      new CloudAssemblyNotFoundError(
        `${missing} is not a directory: give the cloud assembly directory that \`cdk synth\` writes (cdk.out by default)`,
      ),
    );
  });

  describe('with an empty directory', () => {
    const empty = mkdtempSync(join(tmpdir(), 'stepshift-assembly-'));
    afterAll(() => rmSync(empty, { recursive: true, force: true }));

    it('fails when manifest.json is missing', async () => {
      await expect(loadStateMachineFromAssembly(empty, 'Pipeline')).rejects.toThrow(
        CloudAssemblyNotFoundError,
      );
      await expect(loadStateMachineFromAssembly(empty, 'Pipeline')).rejects.toThrow(
        `${join(empty, 'manifest.json')} is missing: ${empty} is not a cloud assembly; run \`cdk synth\` (or \`cdk synth -o DIR\`) and give its output directory`,
      );
    });
  });

  it('fails when no state machine matches, listing the available ones', async () => {
    await expect(loadStateMachineFromAssembly(stage, 'Nightly')).rejects.toThrow(
      new StateMachineNotFoundError(
        `no state machine matches "Nightly" in ${stage}; available: DevEtl/Pipeline (logical id Pipeline9A8B7C6D, stack DevEtl); Prod/Etl/Pipeline (logical id Pipeline1F2E3D4C, stack Prod-Etl). Give a construct id, a construct path, a logical id or a StateMachineName`,
      ),
    );
  });

  it('fails when a construct id matches state machines in two stacks', async () => {
    await expect(loadStateMachineFromAssembly(stage, 'Pipeline')).rejects.toThrow(
      new AmbiguousStateMachineError(
        `"Pipeline" matches 2 state machines in ${stage}: DevEtl/Pipeline (logical id Pipeline9A8B7C6D, stack DevEtl); Prod/Etl/Pipeline (logical id Pipeline1F2E3D4C, stack Prod-Etl). Give the construct path to pick one`,
      ),
    );
  });

  it('fails when the definition imports a value from another stack, naming it and where it is', async () => {
    await expect(loadStateMachineFromAssembly(basic, 'ImportsValue')).rejects.toThrow(
      new UnresolvableIntrinsicError(
        'cannot resolve {"Fn::ImportValue":"shared-fn-arn"} at Etl.template.json Resources.ImportsValue55667788.Properties.DefinitionString["Fn::Join"][1][1]["Fn::ImportValue"]: Fn::ImportValue reads an output exported by another deployed stack, which a cloud assembly does not hold; pass the value in directly (for example through a literal or a stack parameter with a Default)',
      ),
    );
  });

  it('fails when an attribute is unknown, naming the resource type', async () => {
    await expect(loadStateMachineFromAssembly(basic, 'UnknownAttr')).rejects.toThrow(
      'cannot resolve {"Fn::GetAtt":["PublishFn5F8B2A1C","SnapStartResponse.ApplyOn"]} at Etl.template.json Resources.UnknownAttr99AABBCC.Properties.DefinitionString["Fn::Join"][1][1]["Fn::GetAtt"]: the reader does not know the SnapStartResponse.ApplyOn attribute of AWS::Lambda::Function',
    );
  });

  it('fails when a parameter has no Default', async () => {
    await expect(loadStateMachineFromAssembly(basic, 'NoDefaultParam')).rejects.toThrow(
      /^cannot resolve \{"Fn::Sub":".*"\} at Etl\.template\.json Resources\.NoDefaultParamDDEEFF00\.Properties\.DefinitionString\["Fn::Sub"\]: parameter Secretive has no Default, so its value is only known at deploy time; give it a Default$/,
    );
  });

  it('fails when the resolved definition is not JSON', async () => {
    await expect(loadStateMachineFromAssembly(basic, 'NotJson')).rejects.toThrow(
      InvalidAssemblyContentError,
    );
    await expect(loadStateMachineFromAssembly(basic, 'NotJson')).rejects.toThrow(
      /^the resolved definition of Etl\/NotJson \(logical id NotJson12121212, stack etl-dev\) is not JSON \(.+\); it starts with "\{\\"StartAt\\":us-east-1\}"$/,
    );
  });
});
