import type { CfnResource } from 'aws-cdk-lib';

/** One cdk-nag rule suppression with the reason a reviewer reads. */
export interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  /** The findings it covers (e.g. `Resource::*`); every finding of the rule when absent. */
  readonly appliesTo?: readonly string[];
}

interface NagMetadata {
  rules_to_suppress: { id: string; reason: string; applies_to?: string[] }[];
}

/**
 * Records suppressions in the resource metadata cdk-nag reads (`cdk_nag.rules_to_suppress`),
 * so the library needs no cdk-nag dependency and users running cdk-nag see the reasons.
 */
export function suppressNag(resource: CfnResource, suppressions: readonly NagSuppression[]): void {
  const existing = resource.getMetadata('cdk_nag') as NagMetadata | undefined;
  const rules = existing?.rules_to_suppress ?? [];
  for (const s of suppressions) {
    rules.push({
      id: s.id,
      reason: s.reason,
      ...(s.appliesTo !== undefined && { applies_to: [...s.appliesTo] }),
    });
  }
  resource.addMetadata('cdk_nag', { rules_to_suppress: rules });
}
