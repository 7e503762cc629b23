/**
 * Defaults shared by the construct, the handlers and the sandbox, named once with the reason.
 */
export const Defaults = {
  /**
   * Fast path off by default: a Lambda that waits is billed for waiting, and the completion
   * event arrives within seconds anyway. Set 1-30 to finish short statements in the tasker.
   */
  fastPathSeconds: 0,
  /** A completion event normally arrives within seconds; after 2 minutes we poll for it. */
  reconcileGraceSeconds: 120,
  /** How often the reconciler runs. */
  reconcileIntervalSeconds: 60,
  /** Tracking rows are kept a week after their last change, for investigations. */
  trackingRetentionSeconds: 7 * 24 * 3600,
  /** The seed's reserved concurrency for the tasker (its retry advice is built around it). */
  taskerReservedConcurrency: 1,
  /**
   * The completer has its own concurrency so throttled starts never block completions (the
   * seed shared one function and could starve its SQS poller).
   */
  completerReservedConcurrency: 2,
  /** Messages a completer invocation takes from the queue at once. */
  completerBatchSize: 10,
  /** Receives of one completion message before it moves to the dead-letter queue. */
  maxReceiveCount: 5,
  /** Statements of a batch run in one transaction unless the payload says otherwise. */
  executionMode: 'TRANSACTION',
  /** Rows go back to the state machine only when asked for. */
  resultMode: 'none',
  /**
   * How long a claim on a tracking row lets its holder send the callback. A claimer that
   * crashes or hits a transient Step Functions error leaves the row pending; once the lease
   * ends, the next event delivery or the reconciler claims it again. Every handler's Lambda
   * timeout must stay below it, so a live claimer is never overtaken.
   */
  claimLeaseSeconds: 300,
} as const;
