/**
 * EventBridge events the handlers consume and the rule patterns that route them. The
 * construct renders these patterns, the sandbox's bus applies them: one definition.
 */

/** Source of the Redshift Data API completion event (`WithEvent: true`). */
export const DATA_API_EVENT_SOURCE = 'aws.redshift-data';
export const DATA_API_EVENT_DETAIL_TYPE = 'Redshift Data Statement Status Change';
/** The event is only sent for these end states. */
export const DATA_API_END_STATES = ['FINISHED', 'FAILED', 'ABORTED'] as const;

/** Step Functions execution status events, for auto-cancel. */
export const EXECUTION_EVENT_SOURCE = 'aws.states';
export const EXECUTION_EVENT_DETAIL_TYPE = 'Step Functions Execution Status Change';
/** Execution ends that leave statements running for nobody. */
export const EXECUTION_END_STATUSES = ['ABORTED', 'TIMED_OUT', 'FAILED'] as const;

/** An EventBridge event pattern in EventBridge's own JSON form (`detail-type`, not `detailType`). */
export interface EventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Only this tasker's completion events: the statement name starts with its prefix. */
export function completionEventPattern(statementPrefix: string): EventPattern {
  return {
    source: [DATA_API_EVENT_SOURCE],
    'detail-type': [DATA_API_EVENT_DETAIL_TYPE],
    detail: { statementName: [{ prefix: statementPrefix }] },
  };
}

/** Executions that ended without success; optionally only those of the given state machines. */
export function executionEndEventPattern(stateMachineArns?: readonly string[]): EventPattern {
  const detail: Record<string, unknown> = { status: [...EXECUTION_END_STATUSES] };
  if (stateMachineArns !== undefined && stateMachineArns.length > 0) {
    detail['stateMachineArn'] = [...stateMachineArns];
  }
  return { source: [EXECUTION_EVENT_SOURCE], 'detail-type': [EXECUTION_EVENT_DETAIL_TYPE], detail };
}
