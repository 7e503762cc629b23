import { describe, expect, it } from 'vitest';
import type { AssemblyStack, Template } from '../../src/assembly/cloud-assembly.js';
import { UnresolvableIntrinsicError } from '../../src/assembly/errors.js';
import { TemplateResolver } from '../../src/assembly/template-resolver.js';

const ENV = {
  region: 'us-east-1',
  accountId: '123456789012',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};

function resolver(template: Template): TemplateResolver {
  const stack: AssemblyStack = {
    artifactId: 'S',
    stackName: 'S',
    templateFile: '/x/S.template.json',
    template,
    paths: new Map(),
    assets: new Map(),
    directory: '/x',
    rootArtifactId: 'S',
  };
  return new TemplateResolver(stack, ENV);
}

const template: Template = {
  Parameters: {
    Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
    Count: { Type: 'Number', Default: 3 },
  },
  Conditions: {
    Three: { 'Fn::Equals': [{ Ref: 'Count' }, 3] },
    NotThree: { 'Fn::Not': [{ Condition: 'Three' }] },
    Both: { 'Fn::And': [{ Condition: 'Three' }, { Condition: 'NotThree' }] },
    Either: { 'Fn::Or': [{ Condition: 'Three' }, { Condition: 'NotThree' }] },
  },
  Resources: {
    Wg: { Type: 'AWS::RedshiftServerless::Workgroup', Properties: { WorkgroupName: 'etl' } },
    Key: { Type: 'AWS::KMS::Key' },
    Bucket: { Type: 'AWS::S3::Bucket' },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: { RoleName: { 'Fn::Sub': '${AWS::StackName}-role' } },
    },
    Loop: {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: { 'Fn::GetAtt': ['Loop', 'QueueName'] } },
    },
    Thing: { Type: 'AWS::Glue::Job' },
  },
};

describe('TemplateResolver', () => {
  it('resolves conditions, list parameters, encodings and service-specific attributes', () => {
    const r = resolver(template);

    expect(
      r.resolve(
        {
          zones: { Ref: 'Zones' },
          second: { 'Fn::Select': ['1', { Ref: 'Zones' }] },
          conditions: [
            { 'Fn::If': ['Three', 'yes', 'no'] },
            { 'Fn::If': ['NotThree', 'yes', 'no'] },
            { 'Fn::If': ['Both', 'yes', 'no'] },
            { 'Fn::If': ['Either', 'yes', { Ref: 'AWS::NoValue' }] },
            { 'Fn::If': ['NotThree', 'dropped', { Ref: 'AWS::NoValue' }] },
          ],
          b64: { 'Fn::Base64': 'hi' },
          json: { 'Fn::ToJsonString': { a: [1, { Ref: 'AWS::Region' }] } },
          workgroup: { 'Fn::GetAtt': ['Wg', 'Workgroup.WorkgroupName'] },
          workgroupRef: { Ref: 'Wg' },
          keyArn: { 'Fn::GetAtt': ['Key', 'Arn'] },
          bucket: { 'Fn::GetAtt': ['Bucket', 'RegionalDomainName'] },
          role: { 'Fn::GetAtt': ['Role', 'Arn'] },
          glue: { 'Fn::GetAtt': ['Thing', 'Arn'] },
          notifications: { Ref: 'AWS::NotificationARNs' },
        },
        'Test',
      ),
    ).toEqual({
      zones: ['a', 'b'],
      second: 'b',
      conditions: ['yes', 'no', 'no', 'yes'],
      b64: 'aGk=',
      json: '{"a":[1,"us-east-1"]}',
      workgroup: 'etl',
      workgroupRef: 'etl',
      keyArn: 'arn:aws:kms:us-east-1:123456789012:key/' + String(r.resolve({ Ref: 'Key' }, 'Test')),
      bucket: 's-bucket.s3.us-east-1.amazonaws.com',
      role: 'arn:aws:iam::123456789012:role/S-role',
      glue: 'arn:aws:glue:us-east-1:123456789012:job/S-Thing',
      notifications: [],
    });
    expect(r.resolve({ Ref: 'Key' }, 'Test')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('fails when a name refers to itself', () => {
    expect(() => resolver(template).resolve({ Ref: 'Loop' }, 'Test')).toThrow(
      new UnresolvableIntrinsicError(
        'cannot resolve {"Ref":"Loop"} at S.template.json Resources.Loop.Properties.QueueName["Fn::GetAtt"]: the name of Loop refers to itself',
      ),
    );
  });

  it('fails when a Ref names nothing in the template', () => {
    expect(() =>
      resolver(template).resolve({ 'Fn::Sub': 'x-${Missing}' }, 'Resources.A.Properties.B'),
    ).toThrow(
      'cannot resolve {"Fn::Sub":"x-${Missing}"} at S.template.json Resources.A.Properties.B["Fn::Sub"]: Missing is neither a resource, a parameter nor a pseudo parameter of this template',
    );
  });

  it('fails when an intrinsic is not supported', () => {
    expect(() =>
      resolver(template).resolve({ 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }, 'Outputs.X'),
    ).toThrow(
      'cannot resolve {"Fn::Cidr":["10.0.0.0/16",4,8]} at S.template.json Outputs.X["Fn::Cidr"]: Fn::Cidr is not supported by the sandbox\'s template reader',
    );
  });

  it('fails when Fn::Select is out of range', () => {
    expect(() => resolver(template).resolve({ 'Fn::Select': [5, ['a']] }, 'P')).toThrow(
      'cannot resolve {"Fn::Select":[5,["a"]]} at S.template.json P["Fn::Select"]: index 5 is not within the list ["a"]',
    );
  });
});
