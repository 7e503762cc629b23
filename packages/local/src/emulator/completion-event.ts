import { randomUUID } from 'node:crypto';
import { DATA_API_EVENT_DETAIL_TYPE, DATA_API_EVENT_SOURCE } from '@stepshift/runtime/contract';

/** The state a completion event reports: only end states are sent. */
export type CompletionState = 'FINISHED' | 'FAILED' | 'ABORTED';

/**
 * The EventBridge envelope Redshift sends for a statement with `WithEvent: true`, in AWS's
 * current documented shape (Redshift management guide, "Monitoring events for the Amazon
 * Redshift Data API in Amazon EventBridge").
 */
export interface RedshiftDataStatusChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': typeof DATA_API_EVENT_DETAIL_TYPE;
  readonly source: typeof DATA_API_EVENT_SOURCE;
  readonly account: string;
  /** ISO 8601 without milliseconds, as EventBridge writes it. */
  readonly time: string;
  readonly region: string;
  /** The cluster or workgroup ARN. */
  readonly resources: readonly string[];
  readonly detail: {
    readonly principal: string;
    /** Present when the statement was given a `StatementName`. */
    readonly statementName?: string;
    readonly statementId: string;
    readonly redshiftQueryId: number;
    readonly state: CompletionState;
    readonly rows: number;
    /** Epoch seconds when the statement's results expire. */
    readonly expireAt: number;
  };
}

export interface CompletionEventInput {
  readonly account: string;
  readonly region: string;
  readonly resource: string;
  readonly principal: string;
  readonly statementName: string | undefined;
  readonly statementId: string;
  readonly redshiftQueryId: number;
  readonly state: CompletionState;
  readonly rows: number;
  readonly expireAt: Date;
  readonly time: Date;
}

export function completionEvent(input: CompletionEventInput): RedshiftDataStatusChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': DATA_API_EVENT_DETAIL_TYPE,
    source: DATA_API_EVENT_SOURCE,
    account: input.account,
    time: input.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: input.region,
    resources: [input.resource],
    detail: {
      principal: input.principal,
      ...(input.statementName !== undefined && { statementName: input.statementName }),
      statementId: input.statementId,
      redshiftQueryId: input.redshiftQueryId,
      state: input.state,
      rows: input.rows,
      expireAt: Math.floor(input.expireAt.getTime() / 1000),
    },
  };
}
