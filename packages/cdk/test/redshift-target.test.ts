import { Lazy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { loadCdk } from './support/build-once.js';
import { arn, getAtt, logicalId, newStack, policyStatements } from './support/stacks.js';

const { RedshiftTarget, SfnRedshiftTasker, RedshiftAuth } = await loadCdk();
type Target = ReturnType<typeof RedshiftTarget.clusterWithIam>;

const WORKGROUP_ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

/** Builds a tasker for `target` and returns its role's statements plus the logical ids. */
function synth(makeTarget: (stack: ReturnType<typeof newStack>) => Target) {
  const stack = newStack();
  const tasker = new SfnRedshiftTasker(stack, 'T', { target: makeTarget(stack), taskerId: 'etl' });
  const template = Template.fromStack(stack);
  const id = (c: Parameters<typeof logicalId>[1]) => logicalId(stack, c);
  const ids = {
    role: id(tasker.role),
    table: id(tasker.trackingTable),
    key: id(tasker.encryptionKey),
    queue: id(tasker.queue),
    taskerLogs: id(stack.node.findChild('T').node.findChild('TaskerLogs')),
    completerLogs: id(stack.node.findChild('T').node.findChild('CompleterLogs')),
    reconcilerLogs: id(stack.node.findChild('T').node.findChild('ReconcilerLogs')),
    cancellerLogs: id(stack.node.findChild('T').node.findChild('CancellerLogs')),
  };
  return { stack, template, tasker, ids, statements: policyStatements(template, ids.role) };
}

type Ids = ReturnType<typeof synth>['ids'];

const ownStatementsOnly = (ids: Ids) => ({
  Sid: 'OwnStatementsOnly',
  Effect: 'Allow',
  Action: [
    'redshift-data:DescribeStatement',
    'redshift-data:CancelStatement',
    'redshift-data:GetStatementResult',
  ],
  Resource: '*',
  Condition: {
    StringLike: {
      'redshift-data:statement-owner-iam-userid': [
        getAtt(ids.role, 'RoleId'),
        { 'Fn::Join': ['', [getAtt(ids.role, 'RoleId'), ':*']] },
      ],
    },
  },
});

const logsWrite = (logGroup: string) => ({
  Effect: 'Allow',
  Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Resource: getAtt(logGroup),
});

/** What every tasker's role holds besides the target's statements, in template order. */
const commonStatements = (ids: Ids) => [
  {
    Effect: 'Allow',
    Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    Resource: [
      getAtt(ids.table),
      { 'Fn::Join': ['', [getAtt(ids.table), '/index/byExecution']] },
      { 'Fn::Join': ['', [getAtt(ids.table), '/index/pending']] },
    ],
  },
  {
    Effect: 'Allow',
    Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
    Resource: getAtt(ids.key),
  },
  {
    Sid: 'TaskCallbacks',
    Effect: 'Allow',
    Action: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
    Resource: arn(':states:us-east-1:123456789012:stateMachine:*'),
  },
  logsWrite(ids.taskerLogs),
  logsWrite(ids.completerLogs),
  logsWrite(ids.reconcilerLogs),
  {
    Effect: 'Allow',
    Action: [
      'sqs:ReceiveMessage',
      'sqs:ChangeMessageVisibility',
      'sqs:GetQueueUrl',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
    ],
    Resource: getAtt(ids.queue),
  },
  { Effect: 'Allow', Action: 'kms:Decrypt', Resource: getAtt(ids.key) },
  logsWrite(ids.cancellerLogs),
];

const startOnCluster = {
  Sid: 'StartStatements',
  Effect: 'Allow',
  Action: ['redshift-data:ExecuteStatement', 'redshift-data:BatchExecuteStatement'],
  Resource: arn(':redshift:us-east-1:123456789012:cluster:analytics'),
};
const startOnWorkgroup = {
  ...startOnCluster,
  Resource: arn(`:redshift-serverless:us-east-1:123456789012:workgroup/${WORKGROUP_ID}`),
};

describe('RedshiftTarget IAM policy per auth mode', () => {
  it('grants GetClusterCredentials on the dbuser and dbname ARNs for a cluster with a database user', () => {
    const { statements, ids, tasker } = synth(() =>
      RedshiftTarget.clusterWithDbUser({
        clusterIdentifier: 'analytics',
        database: 'dev',
        dbUser: 'etl_user',
      }),
    );
    expect(tasker.target.auth).toBe(RedshiftAuth.DB_USER);
    expect(statements).toEqual([
      startOnCluster,
      ownStatementsOnly(ids),
      {
        Sid: 'TemporaryCredentials',
        Effect: 'Allow',
        Action: 'redshift:GetClusterCredentials',
        Resource: [
          arn(':redshift:us-east-1:123456789012:dbuser:analytics/etl_user'),
          arn(':redshift:us-east-1:123456789012:dbname:analytics/dev'),
        ],
      },
      ...commonStatements(ids),
    ]);
  });

  it('grants GetSecretValue on that secret only for a cluster with a secret', () => {
    const { statements, ids } = synth((stack) =>
      RedshiftTarget.clusterWithSecret({
        clusterIdentifier: 'analytics',
        database: 'dev',
        secret: secretsmanager.Secret.fromSecretCompleteArn(
          stack,
          'Secret',
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl-AbCdEf',
        ),
      }),
    );
    expect(statements).toEqual([
      startOnCluster,
      ownStatementsOnly(ids),
      {
        Sid: 'ReadSecret',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl-AbCdEf',
      },
      ...commonStatements(ids),
    ]);
  });

  it('grants GetSecretValue on the name-ARN pattern and decrypt on the secret key when the secret has one', () => {
    const { statements, ids, stack } = synth((s) => {
      const key = kms.Key.fromKeyArn(
        s,
        'SecretKey',
        'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
      );
      return RedshiftTarget.clusterWithSecret({
        clusterIdentifier: 'analytics',
        database: 'dev',
        secret: secretsmanager.Secret.fromSecretAttributes(s, 'Secret', {
          secretPartialArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl',
          encryptionKey: key,
        }),
      });
    });
    expect(stack.node.tryFindChild('Secret')).toBeDefined();
    expect(statements).toEqual([
      startOnCluster,
      ownStatementsOnly(ids),
      {
        Sid: 'ReadSecret',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift-etl-??????',
      },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
      },
      ...commonStatements(ids),
    ]);
  });

  it('grants GetClusterCredentialsWithIAM on the dbname ARN for a cluster with IAM identity', () => {
    const { statements, ids, tasker } = synth(() =>
      RedshiftTarget.clusterWithIam({ clusterIdentifier: 'analytics', database: 'dev' }),
    );
    expect(tasker.target.auth).toBe(RedshiftAuth.IAM);
    expect(statements).toEqual([
      startOnCluster,
      ownStatementsOnly(ids),
      {
        Sid: 'IamCredentials',
        Effect: 'Allow',
        Action: 'redshift:GetClusterCredentialsWithIAM',
        Resource: arn(':redshift:us-east-1:123456789012:dbname:analytics/dev'),
      },
      ...commonStatements(ids),
    ]);
  });

  it('grants redshift-serverless:GetCredentials on the workgroup ARN for a workgroup with IAM identity', () => {
    const { statements, ids, stack } = synth(() =>
      RedshiftTarget.workgroupWithIam({
        workgroupName: 'etl-wg',
        workgroupId: WORKGROUP_ID,
        database: 'dev',
      }),
    );
    expect(statements).toEqual([
      startOnWorkgroup,
      ownStatementsOnly(ids),
      {
        Sid: 'IamCredentials',
        Effect: 'Allow',
        Action: 'redshift-serverless:GetCredentials',
        Resource: arn(`:redshift-serverless:us-east-1:123456789012:workgroup/${WORKGROUP_ID}`),
      },
      ...commonStatements(ids),
    ]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });

  it('grants only the Data API and the secret for a workgroup with a secret', () => {
    const { statements, ids } = synth((stack) =>
      RedshiftTarget.workgroupWithSecret({
        workgroupName: 'etl-wg',
        workgroupId: WORKGROUP_ID,
        database: 'dev',
        secret: secretsmanager.Secret.fromSecretCompleteArn(
          stack,
          'Secret',
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:wg-AbCdEf',
        ),
      }),
    );
    expect(statements).toEqual([
      startOnWorkgroup,
      ownStatementsOnly(ids),
      {
        Sid: 'ReadSecret',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wg-AbCdEf',
      },
      ...commonStatements(ids),
    ]);
  });

  it('scopes to every workgroup of the account and warns how to narrow it when the workgroup id is unknown', () => {
    const { statements, stack } = synth(() =>
      RedshiftTarget.workgroupWithIam({ workgroupName: 'etl-wg', database: 'dev' }),
    );
    expect(statements[0]).toEqual({
      ...startOnCluster,
      Resource: arn(':redshift-serverless:us-east-1:123456789012:workgroup/*'),
    });
    Annotations.fromStack(stack).hasWarning(
      '/S/T',
      Match.stringLikeRegexp(
        "workgroup 'etl-wg' was given without workgroupId; pass workgroupId \\(CfnWorkgroup.attrWorkgroupWorkgroupId\\)",
      ),
    );
  });
});

describe('RedshiftTarget environment', () => {
  it('sets the contract variables of a cluster with a database user', () => {
    const target = RedshiftTarget.clusterWithDbUser({
      clusterIdentifier: 'analytics',
      database: 'dev',
      dbUser: 'etl_user',
    });
    expect(target.environment()).toEqual({
      STEPSHIFT_DATABASE: 'dev',
      STEPSHIFT_CLUSTER_IDENTIFIER: 'analytics',
      STEPSHIFT_DB_USER: 'etl_user',
    });
  });

  it('sets neither user nor secret for IAM identity on a workgroup', () => {
    const target = RedshiftTarget.workgroupWithIam({ workgroupName: 'etl-wg', database: 'dev' });
    expect(target.environment()).toEqual({
      STEPSHIFT_DATABASE: 'dev',
      STEPSHIFT_WORKGROUP_NAME: 'etl-wg',
    });
  });

  it('passes the secret ARN for secret auth', () => {
    const stack = newStack();
    const target = RedshiftTarget.workgroupWithSecret({
      workgroupName: 'etl-wg',
      database: 'dev',
      secret: secretsmanager.Secret.fromSecretCompleteArn(
        stack,
        'Secret',
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:wg-AbCdEf',
      ),
    });
    expect(target.environment()).toEqual({
      STEPSHIFT_DATABASE: 'dev',
      STEPSHIFT_WORKGROUP_NAME: 'etl-wg',
      STEPSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wg-AbCdEf',
    });
  });
});

describe('RedshiftTarget.fromOptions', () => {
  it('picks the factory matching the options', () => {
    expect(RedshiftTarget.fromOptions({ clusterIdentifier: 'c1', database: 'dev' }).auth).toBe(
      RedshiftAuth.IAM,
    );
    expect(
      RedshiftTarget.fromOptions({ clusterIdentifier: 'c1', database: 'dev', dbUser: 'u' }).auth,
    ).toBe(RedshiftAuth.DB_USER);
    expect(
      RedshiftTarget.fromOptions({ workgroupName: 'wg1', database: 'dev' }).workgroupName,
    ).toBe('wg1');
  });

  it('fails when a workgroup is given a database user, naming the factories to use', () => {
    expect(() =>
      RedshiftTarget.fromOptions({ workgroupName: 'etl-wg', database: 'dev', dbUser: 'etl' }),
    ).toThrow(
      "incompatible auth: dbUser 'etl' with workgroup 'etl-wg': temporary database-user credentials (GetClusterCredentials) exist only for provisioned clusters. Use RedshiftTarget.workgroupWithSecret or RedshiftTarget.workgroupWithIam",
    );
  });

  it('fails when both a database user and a secret are given', () => {
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'x');
    expect(() =>
      RedshiftTarget.fromOptions({ clusterIdentifier: 'c1', database: 'dev', dbUser: 'u', secret }),
    ).toThrow(
      'incompatible auth: dbUser (temporary credentials) and secret were both given; the Data API takes one. Use RedshiftTarget.clusterWithDbUser or RedshiftTarget.clusterWithSecret',
    );
  });

  it('fails when both or neither of cluster and workgroup are given', () => {
    expect(() =>
      RedshiftTarget.fromOptions({
        clusterIdentifier: 'c1',
        workgroupName: 'wg1',
        database: 'dev',
      }),
    ).toThrow(
      'a Redshift target needs exactly one of clusterIdentifier (provisioned cluster) or workgroupName (Redshift Serverless); received both',
    );
    expect(() => RedshiftTarget.fromOptions({ database: 'dev' })).toThrow(/received neither$/);
  });

  it('fails when a workgroup id is given for a cluster', () => {
    expect(() =>
      RedshiftTarget.fromOptions({ clusterIdentifier: 'c1', workgroupId: 'x', database: 'dev' }),
    ).toThrow(
      "workgroupId 'x' was given for cluster 'c1': a workgroup id only applies to Redshift Serverless; remove it",
    );
  });
});

describe('RedshiftTarget validation', () => {
  it('fails when the cluster identifier is an endpoint', () => {
    expect(() =>
      RedshiftTarget.clusterWithIam({
        clusterIdentifier: 'analytics.abc123.us-east-1.redshift.amazonaws.com',
        database: 'dev',
      }),
    ).toThrow(
      'invalid cluster identifier \'analytics.abc123.us-east-1.redshift.amazonaws.com\': give the cluster identifier (not its endpoint or ARN): 1-63 lowercase letters, digits or hyphens, starting with a letter, without "--" or a trailing hyphen',
    );
  });

  it('fails when the cluster identifier has uppercase letters, a double or trailing hyphen', () => {
    for (const bad of ['Analytics', 'a--b', 'ab-', '1abc']) {
      expect(() =>
        RedshiftTarget.clusterWithIam({ clusterIdentifier: bad, database: 'dev' }),
      ).toThrow(`invalid cluster identifier '${bad}'`);
    }
  });

  it('fails when the workgroup name is an ARN', () => {
    expect(() =>
      RedshiftTarget.workgroupWithIam({
        workgroupName: 'arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/x',
        database: 'dev',
      }),
    ).toThrow(
      "invalid workgroup name 'arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/x': give the workgroup name (not its ARN): 3-64 lowercase letters, digits or hyphens",
    );
  });

  it('fails when the database name has a hyphen', () => {
    expect(() =>
      RedshiftTarget.clusterWithIam({ clusterIdentifier: 'c1', database: 'my-db' }),
    ).toThrow(
      'invalid database name \'my-db\': use 1-64 letters, digits, _ or $, starting with a letter or _ (e.g. "dev")',
    );
  });

  it('fails when the database user has a colon or slash', () => {
    expect(() =>
      RedshiftTarget.clusterWithDbUser({ clusterIdentifier: 'c1', database: 'dev', dbUser: 'a:b' }),
    ).toThrow(
      'invalid database user \'a:b\': use 1-128 letters, digits or _ + . @ -, starting with a letter (no ":" or "/")',
    );
  });

  it('accepts unresolved tokens without validating them', () => {
    const stack = newStack();
    const name = Lazy.string({ produce: () => 'etl-wg' });
    const target = RedshiftTarget.workgroupWithIam({ workgroupName: name, database: 'dev' });
    expect(stack.resolve(target.workgroupName)).toBe('etl-wg');
  });
});
