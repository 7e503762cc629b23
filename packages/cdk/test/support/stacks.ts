import { createRequire } from 'node:module';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export function newStack(id = 'S'): Stack {
  return new Stack(new App(), id, { env: { account: ACCOUNT, region: REGION } });
}

/** The logical id CloudFormation sees for a construct (its default child for L2s). */
export function logicalId(stack: Stack, construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.getLogicalId(element);
}

export function getAtt(id: string, attr = 'Arn'): Record<string, unknown> {
  return { 'Fn::GetAtt': [id, attr] };
}

/** An ARN as `Stack.formatArn` renders it with a concrete account and region. */
export function arn(rest: string): Record<string, unknown> {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

/** Statements of the policy attached to a role, in template order. */
export function policyStatements(template: Template, roleLogicalId: string): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const mine = Object.values(policies).filter((p) => {
    const roles = (p['Properties'] as { Roles: unknown[] }).Roles;
    return roles.some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId }));
  });
  return mine.flatMap(
    (p) =>
      (p['Properties'] as { PolicyDocument: { Statement: unknown[] } }).PolicyDocument.Statement,
  );
}

/** The definition of a chain as Step Functions receives it, tokens resolved. */
export function renderDefinition(stack: Stack, start: sfn.IChainable): Record<string, unknown> {
  const graph = new sfn.StateGraph(start.startState, 'test');
  return stack.resolve(graph.toGraphJson()) as Record<string, unknown>;
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
};

/** Replaces CloudFormation intrinsics with plausible literal values (for asl-validator). */
export function withoutIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIntrinsics);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'Ref') {
      const ref = String(o['Ref']);
      return PSEUDO_PARAMETERS[ref] ?? `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${ref}`;
    }
    if (keys.length === 1 && keys[0] === 'Fn::Join') {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => String(withoutIntrinsics(p))).join(sep);
    }
    if (keys.length === 1 && keys[0]?.startsWith('Fn::')) {
      return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:resolved`;
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, withoutIntrinsics(v)]));
  }
  return value;
}

export interface AslValidation {
  isValid: boolean;
  errors: unknown[];
}

const require = createRequire(import.meta.url);
/** asl-validator ships no types. */
const aslValidator = require('asl-validator') as (definition: unknown) => AslValidation;

export function validateAsl(definition: unknown): AslValidation {
  const { isValid, errors } = aslValidator(definition);
  return { isValid, errors };
}
