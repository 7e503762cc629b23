/**
 * What a Task state's `Resource` names: an optimized or SDK service integration
 * (`arn:aws:states:::lambda:invoke.waitForTaskToken`), a bare Lambda function ARN, or something
 * the sandbox does not run (activities, `.sync`).
 */

export type IntegrationPattern = 'requestResponse' | 'waitForTaskToken' | 'sync';

export interface TaskResource {
  readonly arn: string;
  /** `lambda` for bare function ARNs and `lambda:invoke`; `aws-sdk:redshiftdata`, ... */
  readonly resourceType: string;
  /** `invoke.waitForTaskToken`, `executeStatement`, or the function ARN for bare Lambda. */
  readonly resource: string;
  /** `invoke`, `executeStatement` (the resource without the pattern suffix). */
  readonly action: string;
  readonly pattern: IntegrationPattern;
  /** A bare `arn:aws:lambda:...:function:NAME` resource (history uses `LambdaFunction*` events). */
  readonly bareLambda: boolean;
}

const SERVICE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]*:[0-9]*:(.+)$/;
const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;

export function parseTaskResource(arn: string): TaskResource | undefined {
  if (LAMBDA_ARN.test(arn)) {
    return {
      arn,
      resourceType: 'lambda',
      resource: arn,
      action: 'invoke',
      pattern: 'requestResponse',
      bareLambda: true,
    };
  }
  const rest = SERVICE_ARN.exec(arn)?.[1];
  if (rest === undefined || rest.startsWith('activity:') || rest.startsWith('stateMachine:'))
    return undefined;
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const resourceType = rest.slice(0, colon);
  const resource = rest.slice(colon + 1);
  const pattern: IntegrationPattern = resource.endsWith('.waitForTaskToken')
    ? 'waitForTaskToken'
    : resource.endsWith('.sync') || resource.endsWith('.sync:2')
      ? 'sync'
      : 'requestResponse';
  const action = resource.replace(/\.(waitForTaskToken|sync(:2)?)$/, '');
  return { arn, resourceType, resource, action, pattern, bareLambda: false };
}
