/**
 * The tracking table: one item per statement started with a task token, keyed by the
 * statement name. Every status change is a conditional write, so the table decides which
 * event or poller gets to send the one callback of a task.
 */

export const TrackingStatus = {
  /** Registered by the tasker; the Data API call may or may not have happened yet. */
  Registered: 'REGISTERED',
  /** The Data API accepted the statement; its id is recorded. */
  Submitted: 'SUBMITTED',
  /** The callback was sent (or is being sent by the claimer). */
  Completed: 'COMPLETED',
  /** Step Functions no longer waits for this token (timed out, closed, invalid). */
  Orphaned: 'ORPHANED',
} as const;

export type TrackingStatusValue = (typeof TrackingStatus)[keyof typeof TrackingStatus];

/** DynamoDB attribute types of the key attributes, for the construct. */
export type KeyAttributeType = 'S' | 'N';

export const TrackingTable = {
  partitionKey: { name: 'statementName', type: 'S' as KeyAttributeType },
  /** Epoch seconds; DynamoDB TTL deletes the item after it. */
  ttlAttribute: 'expiresAt',
  attributes: {
    statementName: 'statementName',
    taskToken: 'taskToken',
    executionArn: 'executionArn',
    stateName: 'stateName',
    /** The payload's `iteration`: which run of the state (a Map iteration) started it. */
    iteration: 'iteration',
    statementId: 'statementId',
    status: 'status',
    /** The validated request (JSON), so a crashed start can be submitted by the reconciler. */
    request: 'request',
    /** Epoch milliseconds. */
    createdAt: 'createdAt',
    /** Epoch milliseconds. */
    updatedAt: 'updatedAt',
    expiresAt: 'expiresAt',
    /** Present (value `PENDING`) only while the statement is REGISTERED or SUBMITTED. */
    pendingPartition: 'pendingPartition',
    /** Epoch milliseconds of the last pending transition; the reconciler's sort key. */
    pendingSince: 'pendingSince',
    /** Final Data API status and error, once completed. */
    outcome: 'outcome',
  },
  indexes: {
    /** All statements of an execution: cancel by execution and auto-cancel. */
    byExecution: {
      indexName: 'byExecution',
      partitionKey: { name: 'executionArn', type: 'S' as KeyAttributeType },
      sortKey: { name: 'createdAt', type: 'N' as KeyAttributeType },
    },
    /** Sparse: only pending rows carry its key. The reconciler reads the oldest first. */
    pending: {
      indexName: 'pending',
      partitionKey: { name: 'pendingPartition', type: 'S' as KeyAttributeType },
      sortKey: { name: 'pendingSince', type: 'N' as KeyAttributeType },
    },
  },
  pendingPartitionValue: 'PENDING',
} as const;
