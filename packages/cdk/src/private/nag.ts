import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One acknowledged cdk-nag finding with the reason a reviewer reads. */
export interface NagSuppression {
  /** Rule id, with the finding for rules that report several (`AwsSolutions-IAM5[Resource::*]`). */
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings through CDK's own `Validations` API (what cdk-nag v3 reads),
 * so the library needs no cdk-nag dependency and users running cdk-nag see the reasons.
 */
export function suppressNag(construct: IConstruct, suppressions: readonly NagSuppression[]): void {
  Validations.of(construct).acknowledge(...suppressions.map(({ id, reason }) => ({ id, reason })));
}

/**
 * How cdk-nag names a policy resource in a finding id: intrinsics become `<Ref>` or
 * `<LogicalId.Attribute>` and `Fn::Join` parts are concatenated
 * (`arn:<AWS::Partition>:states:<AWS::Region>:...`).
 */
export function nagResourceName(resolved: unknown): string {
  if (typeof resolved === 'string') return resolved;
  if (resolved !== null && typeof resolved === 'object') {
    const o = resolved as Record<string, unknown>;
    if (typeof o['Ref'] === 'string') return `<${o['Ref']}>`;
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
    const join = o['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) {
      return (join[1] as unknown[]).map(nagResourceName).join(String(join[0]));
    }
  }
  return JSON.stringify(resolved);
}
