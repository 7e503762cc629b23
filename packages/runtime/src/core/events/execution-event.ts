import { EXECUTION_EVENT_DETAIL_TYPE, EXECUTION_EVENT_SOURCE } from '../../contract/index.js';

export type ParsedExecutionStatusEvent =
  | {
      readonly ok: true;
      readonly executionArn: string;
      readonly status: string;
      readonly stateMachineArn?: string;
    }
  | { readonly ok: false; readonly reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads a "Step Functions Execution Status Change" event (the auto-cancel trigger). Never
 * throws: a malformed event gives `{ok: false, reason}`.
 */
export function parseExecutionStatusEvent(input: unknown): ParsedExecutionStatusEvent {
  if (!isRecord(input)) return { ok: false, reason: 'event is not a JSON object' };
  if (input['source'] !== EXECUTION_EVENT_SOURCE) {
    return {
      ok: false,
      reason: `source is ${JSON.stringify(input['source'])}, expected "${EXECUTION_EVENT_SOURCE}"`,
    };
  }
  if (input['detail-type'] !== EXECUTION_EVENT_DETAIL_TYPE) {
    return {
      ok: false,
      reason: `detail-type is ${JSON.stringify(input['detail-type'])}, expected "${EXECUTION_EVENT_DETAIL_TYPE}"`,
    };
  }
  const detail = input['detail'];
  if (!isRecord(detail)) return { ok: false, reason: 'detail is missing or not an object' };
  const executionArn = detail['executionArn'];
  const status = detail['status'];
  if (typeof executionArn !== 'string' || executionArn === '') {
    return { ok: false, reason: 'detail.executionArn is missing or not a string' };
  }
  if (typeof status !== 'string' || status === '') {
    return { ok: false, reason: 'detail.status is missing or not a string' };
  }
  const stateMachineArn = detail['stateMachineArn'];
  return {
    ok: true,
    executionArn,
    status,
    ...(typeof stateMachineArn === 'string' && stateMachineArn !== '' && { stateMachineArn }),
  };
}
