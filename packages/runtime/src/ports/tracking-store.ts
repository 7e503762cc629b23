import type { ExecuteRequest, TrackingStatus, TrackingStatusValue } from '../contract/index.js';

/** The request as stored in the row: everything but the task token (stored on its own). */
export type StoredRequest = Omit<ExecuteRequest, 'taskToken'>;

/** One tracking row, as the algorithms see it. Times are epoch milliseconds. */
export interface TrackingRecord {
  readonly statementName: string;
  readonly taskToken: string;
  readonly status: TrackingStatusValue;
  readonly request: StoredRequest;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Epoch seconds (DynamoDB TTL). */
  readonly expiresAt: number;
  readonly executionArn?: string;
  readonly stateName?: string;
  /** The run of the state (a Map iteration) that started the statement, if the payload said. */
  readonly iteration?: string;
  readonly statementId?: string;
  /** Set while REGISTERED or SUBMITTED. */
  readonly pendingSince?: number;
  /** The current claim: who sends the callback, and until when it may. */
  readonly claimId?: string;
  readonly leaseUntil?: number;
  /** How many claims were taken (1 on the first attempt). */
  readonly claimCount?: number;
  /** Final Data API status and a short note, once COMPLETED or ORPHANED. */
  readonly outcome?: string;
}

export interface NewTrackingRecord {
  readonly statementName: string;
  readonly taskToken: string;
  readonly request: StoredRequest;
  readonly now: number;
  readonly expiresAt: number;
  readonly executionArn?: string;
  readonly stateName?: string;
  readonly iteration?: string;
}

export type RegisterResult =
  { readonly created: true } | { readonly created: false; readonly existing: TrackingRecord };

export interface ClaimInput {
  readonly claimId: string;
  readonly now: number;
  readonly leaseUntil: number;
  /**
   * The statement the claimer completes: the row must track no statement yet (the event
   * arrived before the tasker recorded it; it is recorded now) or this one.
   */
  readonly statementId?: string;
}

export type FinalStatus = typeof TrackingStatus.Completed | typeof TrackingStatus.Orphaned;

export interface FinishInput {
  readonly status: FinalStatus;
  readonly outcome: string;
  readonly now: number;
  readonly expiresAt: number;
  /** Only if the row records no statement id (a start that never reached the Data API). */
  readonly onlyIfUnsubmitted?: boolean;
}

/**
 * The tracking table. Every transition is conditional; a method returns `false` (or
 * `created: false`, or `undefined` for claim) when its condition did not hold, and throws only
 * for I/O failures.
 *
 * Transitions:
 * - register: (none) → REGISTERED
 * - markSubmitted: REGISTERED → SUBMITTED (records the statement id)
 * - claim: REGISTERED|SUBMITTED without a live lease (and, given a statement id, tracking no
 *   other statement) → same status with a lease; returns the claimed row
 * - releaseClaim: drops the lease if it is still ours
 * - finish: REGISTERED|SUBMITTED (optionally: without a statement id) → COMPLETED|ORPHANED
 *   (drops lease and pending keys)
 * - touchPending: REGISTERED|SUBMITTED, pendingSince = now
 */
export interface TrackingStore {
  register(record: NewTrackingRecord): Promise<RegisterResult>;
  get(statementName: string): Promise<TrackingRecord | undefined>;
  markSubmitted(
    statementName: string,
    statementId: string,
    now: number,
    expiresAt: number,
  ): Promise<boolean>;
  claim(statementName: string, input: ClaimInput): Promise<TrackingRecord | undefined>;
  releaseClaim(statementName: string, claimId: string, now: number): Promise<boolean>;
  finish(statementName: string, input: FinishInput): Promise<boolean>;
  /** Moves a pending row to the back of the reconciler's queue (`pendingSince = now`). */
  touchPending(statementName: string, now: number): Promise<boolean>;
  /**
   * REGISTERED or SUBMITTED rows of one tasker (statement names under `statementPrefix`)
   * pending since before `cutoff`, oldest first. Taskers may share a table, and a tasker
   * can only describe or cancel the statements its own role started.
   */
  listPending(statementPrefix: string, cutoff: number, limit: number): Promise<TrackingRecord[]>;
  /** Every row of an execution started by one tasker, oldest first. */
  listByExecution(executionArn: string, statementPrefix: string): Promise<TrackingRecord[]>;
}
