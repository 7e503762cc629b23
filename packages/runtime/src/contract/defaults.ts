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
} as const;
