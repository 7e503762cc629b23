import { createHash } from 'node:crypto';

/**
 * What `Ref` and `Fn::GetAtt` return for the resources of a template, for a sandbox that has
 * no deployed stack: the names CloudFormation would generate (without their random suffix) and
 * ARNs in each service's documented format.
 *
 * Return values: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html
 */

export interface Environment {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
}

/** The property holding a resource's explicit physical name, and the service's name length limit. */
const NAME_PROPERTIES: Readonly<Record<string, readonly [property: string, maxLength: number]>> = {
  'AWS::Lambda::Function': ['FunctionName', 64],
  'AWS::StepFunctions::StateMachine': ['StateMachineName', 80],
  'AWS::SQS::Queue': ['QueueName', 80],
  'AWS::SNS::Topic': ['TopicName', 256],
  'AWS::DynamoDB::Table': ['TableName', 255],
  'AWS::IAM::Role': ['RoleName', 64],
  'AWS::S3::Bucket': ['BucketName', 63],
  'AWS::Events::Rule': ['Name', 64],
  'AWS::Events::EventBus': ['Name', 256],
  'AWS::Logs::LogGroup': ['LogGroupName', 512],
  'AWS::SecretsManager::Secret': ['Name', 512],
  'AWS::Redshift::Cluster': ['ClusterIdentifier', 63],
  'AWS::RedshiftServerless::Workgroup': ['WorkgroupName', 64],
  'AWS::RedshiftServerless::Namespace': ['NamespaceName', 64],
};

/**
 * The name CloudFormation generates when none is given: `<stack>-<logicalId>-<random>` for
 * most types, `<logicalId>-<random>` for state machines. Here without the random part, cut to
 * the service's limit; lower case where the service requires it.
 */
export function generatedName(type: string, logicalId: string, stackName: string): string {
  const max = NAME_PROPERTIES[type]?.[1] ?? 64;
  const base =
    type === 'AWS::StepFunctions::StateMachine' ? logicalId : `${stackName}-${logicalId}`;
  const name = base.slice(0, max);
  return type === 'AWS::S3::Bucket' ||
    type === 'AWS::Redshift::Cluster' ||
    type.startsWith('AWS::RedshiftServerless::')
    ? name.toLowerCase()
    : name;
}

export function nameProperty(type: string): string | undefined {
  return NAME_PROPERTIES[type]?.[0];
}

/** A stable UUID-shaped id derived from the logical id (KMS key ids, secret suffixes). */
function stableId(logicalId: string): string {
  const h = createHash('sha256').update(logicalId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The ARN of a resource given its physical name. */
export function arnOf(type: string, logicalId: string, name: string, env: Environment): string {
  const { partition: p, region: r, accountId: a } = env;
  switch (type) {
    case 'AWS::Lambda::Function':
      return `arn:${p}:lambda:${r}:${a}:function:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${p}:states:${r}:${a}:stateMachine:${name}`;
    case 'AWS::SQS::Queue':
      return `arn:${p}:sqs:${r}:${a}:${name}`;
    case 'AWS::SNS::Topic':
      return `arn:${p}:sns:${r}:${a}:${name}`;
    case 'AWS::DynamoDB::Table':
      return `arn:${p}:dynamodb:${r}:${a}:table/${name}`;
    case 'AWS::IAM::Role':
      return `arn:${p}:iam::${a}:role/${name}`;
    case 'AWS::S3::Bucket':
      return `arn:${p}:s3:::${name}`;
    case 'AWS::KMS::Key':
      return `arn:${p}:kms:${r}:${a}:key/${stableId(logicalId)}`;
    case 'AWS::Events::Rule':
      return `arn:${p}:events:${r}:${a}:rule/${name}`;
    case 'AWS::Events::EventBus':
      return `arn:${p}:events:${r}:${a}:event-bus/${name}`;
    case 'AWS::Logs::LogGroup':
      return `arn:${p}:logs:${r}:${a}:log-group:${name}:*`;
    case 'AWS::SecretsManager::Secret':
      return `arn:${p}:secretsmanager:${r}:${a}:secret:${name}-${stableId(logicalId).slice(0, 6)}`;
    case 'AWS::Redshift::Cluster':
      return `arn:${p}:redshift:${r}:${a}:cluster:${name}`;
    case 'AWS::RedshiftServerless::Workgroup':
      return `arn:${p}:redshift-serverless:${r}:${a}:workgroup/${stableId(logicalId)}`;
    case 'AWS::RedshiftServerless::Namespace':
      return `arn:${p}:redshift-serverless:${r}:${a}:namespace/${stableId(logicalId)}`;
    default: {
      const [, service = 'unknown', resource = 'resource'] = type.split('::');
      return `arn:${p}:${service.toLowerCase()}:${r}:${a}:${resource.toLowerCase()}/${name}`;
    }
  }
}

/** What `Ref` returns for a resource of `type` named `name`. */
export function refOf(type: string, logicalId: string, name: string, env: Environment): string {
  switch (type) {
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::SNS::Topic':
    case 'AWS::SecretsManager::Secret':
      return arnOf(type, logicalId, name, env);
    case 'AWS::SQS::Queue':
      return `https://sqs.${env.region}.${env.urlSuffix}/${env.accountId}/${name}`;
    case 'AWS::KMS::Key':
      return stableId(logicalId);
    default:
      return name;
  }
}

/**
 * What `Fn::GetAtt` returns, or `undefined` for an attribute the reader does not know (the
 * caller reports it).
 */
export function attributeOf(
  type: string,
  logicalId: string,
  name: string,
  attribute: string,
  env: Environment,
): string | undefined {
  const arn = arnOf(type, logicalId, name, env);
  const known: Record<string, string> = {};
  switch (type) {
    case 'AWS::StepFunctions::StateMachine':
      Object.assign(known, { Arn: arn, Name: name, StateMachineRevisionId: arn });
      break;
    case 'AWS::SQS::Queue':
      Object.assign(known, {
        Arn: arn,
        QueueName: name,
        QueueUrl: refOf(type, logicalId, name, env),
      });
      break;
    case 'AWS::SNS::Topic':
      Object.assign(known, { TopicArn: arn, TopicName: name });
      break;
    case 'AWS::DynamoDB::Table':
      Object.assign(known, { Arn: arn, StreamArn: `${arn}/stream/1970-01-01T00:00:00.000` });
      break;
    case 'AWS::IAM::Role':
      Object.assign(known, {
        Arn: arn,
        RoleId: `AROA${stableId(logicalId).replace(/-/g, '').slice(0, 17).toUpperCase()}`,
      });
      break;
    case 'AWS::KMS::Key':
      Object.assign(known, { Arn: arn, KeyId: stableId(logicalId) });
      break;
    case 'AWS::S3::Bucket':
      Object.assign(known, {
        Arn: arn,
        DomainName: `${name}.s3.${env.urlSuffix}`,
        RegionalDomainName: `${name}.s3.${env.region}.${env.urlSuffix}`,
      });
      break;
    case 'AWS::SecretsManager::Secret':
      Object.assign(known, { Id: arn });
      break;
    case 'AWS::Redshift::Cluster':
      Object.assign(known, {
        'Endpoint.Address': `${name}.abc123xyz789.${env.region}.redshift.${env.urlSuffix}`,
        'Endpoint.Port': '5439',
      });
      break;
    case 'AWS::RedshiftServerless::Workgroup':
      Object.assign(known, { 'Workgroup.WorkgroupName': name, 'Workgroup.WorkgroupArn': arn });
      break;
    case 'AWS::RedshiftServerless::Namespace':
      Object.assign(known, { 'Namespace.NamespaceName': name, 'Namespace.NamespaceArn': arn });
      break;
    default:
      Object.assign(known, { Arn: arn });
  }
  return known[attribute];
}
