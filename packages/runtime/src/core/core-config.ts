import { Defaults } from '../contract/index.js';

/** Defaults of the runtime's own knobs (the shared ones live in the contract's `Defaults`). */
export const RuntimeDefaults = {
  /** See `Defaults.claimLeaseSeconds` in the contract (the construct checks timeouts against it). */
  claimLeaseSeconds: Defaults.claimLeaseSeconds,
  /** Rows the reconciler looks at per run (oldest first); the rest wait for the next run. */
  reconcileBatchSize: 100,
} as const;

/** What the algorithms need to know besides their ports. */
export interface CoreConfig {
  /** This tasker's statement-name prefix; other statements are ignored. */
  readonly statementPrefix: string;
  /** Default fast-path wait (0 disables), overridable per payload. */
  readonly fastPathSeconds: number;
  readonly reconcileGraceSeconds: number;
  readonly trackingRetentionSeconds: number;
  readonly claimLeaseSeconds: number;
  readonly reconcileBatchSize: number;
}

/** A config with every default filled in; only the prefix is required. */
export function coreConfig(
  values: Partial<CoreConfig> & Pick<CoreConfig, 'statementPrefix'>,
): CoreConfig {
  return {
    fastPathSeconds: Defaults.fastPathSeconds,
    reconcileGraceSeconds: Defaults.reconcileGraceSeconds,
    trackingRetentionSeconds: Defaults.trackingRetentionSeconds,
    claimLeaseSeconds: RuntimeDefaults.claimLeaseSeconds,
    reconcileBatchSize: RuntimeDefaults.reconcileBatchSize,
    ...values,
  };
}

/** Epoch seconds at which a row last changed at `now` (epoch ms) expires. */
export function expiresAtFor(config: CoreConfig, now: number): number {
  return Math.floor(now / 1000) + config.trackingRetentionSeconds;
}

/**
 * Shortest life of a pending (REGISTERED or SUBMITTED) row: the Data API runs a query for at
 * most 24 hours (Redshift Data API considerations), plus an hour for queueing and the
 * reconciler's grace. A row deleted by TTL while its statement runs leaves the completion
 * event and the reconciler nothing to complete: the task would wait for its timeout.
 */
export const MIN_PENDING_ROW_SECONDS = 25 * 3600;

/** TTL of a row that turns (or stays) pending at `now`: the retention, but never too short. */
export function pendingExpiresAtFor(config: CoreConfig, now: number): number {
  return (
    Math.floor(now / 1000) + Math.max(config.trackingRetentionSeconds, MIN_PENDING_ROW_SECONDS)
  );
}
