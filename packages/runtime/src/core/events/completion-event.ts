import {
  DATA_API_END_STATES,
  DATA_API_EVENT_DETAIL_TYPE,
  DATA_API_EVENT_SOURCE,
} from '../../contract/index.js';

export type CompletionState = (typeof DATA_API_END_STATES)[number];

/** A Redshift Data API completion event, normalised from either documented `detail` shape. */
export interface CompletionEvent {
  readonly statementId: string;
  readonly statementName?: string;
  readonly state: CompletionState;
  /** `detail.rows` (current shape) or `detail.pages` (older page). */
  readonly rows?: number;
  /** ISO 8601: `expireAt` is epoch seconds in the current shape, an ISO string in the older. */
  readonly expireAt?: string;
  readonly principal?: string;
  /** `detail.redshiftQueryId` (current) or `detail.queryId` (older). */
  readonly redshiftQueryId?: number;
  /** The cluster or workgroup ARN (`resources[0]`), or the older `detail.clusterId`. */
  readonly resource?: string;
  readonly time?: string;
}

export type ParsedCompletionEvent =
  | { readonly ok: true; readonly event: CompletionEvent }
  | { readonly ok: false; readonly reason: string };

const endStates = new Set<string>(DATA_API_END_STATES);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function finiteNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

function isoExpireAt(value: unknown): string | undefined {
  const seconds = finiteNumber(value);
  const date =
    seconds !== undefined
      ? new Date(seconds * 1000)
      : typeof value === 'string'
        ? new Date(value)
        : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString();
}

function fail(reason: string): ParsedCompletionEvent {
  return { ok: false, reason };
}

/**
 * Reads an EventBridge envelope of a Data API completion event. Accepts the current shape
 * (`rows`, `redshiftQueryId`, numeric `expireAt`) and the older one (`pages`, `queryId`,
 * `clusterId`, ISO `expireAt`). Never throws: a malformed event gives `{ok: false, reason}`.
 */
export function parseCompletionEvent(input: unknown): ParsedCompletionEvent {
  if (!isRecord(input)) return fail('event is not a JSON object');
  if (input['source'] !== DATA_API_EVENT_SOURCE) {
    return fail(
      `source is ${JSON.stringify(input['source'])}, expected "${DATA_API_EVENT_SOURCE}"`,
    );
  }
  if (input['detail-type'] !== DATA_API_EVENT_DETAIL_TYPE) {
    return fail(
      `detail-type is ${JSON.stringify(input['detail-type'])}, expected "${DATA_API_EVENT_DETAIL_TYPE}"`,
    );
  }
  const detail = input['detail'];
  if (!isRecord(detail)) return fail('detail is missing or not an object');
  const statementId = nonEmptyString(detail['statementId']);
  if (statementId === undefined) return fail('detail.statementId is missing or not a string');
  const state = detail['state'];
  if (typeof state !== 'string' || !endStates.has(state)) {
    return fail(
      `detail.state is ${JSON.stringify(state)}, expected one of ${DATA_API_END_STATES.join(', ')}`,
    );
  }
  const resources = input['resources'];
  const resource =
    (Array.isArray(resources) ? nonEmptyString(resources[0]) : undefined) ??
    nonEmptyString(detail['clusterId']);
  const statementName = nonEmptyString(detail['statementName']);
  const rows = finiteNumber(detail['rows']) ?? finiteNumber(detail['pages']);
  const expireAt = isoExpireAt(detail['expireAt']);
  const principal = nonEmptyString(detail['principal']);
  const redshiftQueryId =
    finiteNumber(detail['redshiftQueryId']) ?? finiteNumber(detail['queryId']);
  const time = nonEmptyString(input['time']);
  return {
    ok: true,
    event: {
      statementId,
      state: state as CompletionState,
      ...(statementName !== undefined && { statementName }),
      ...(rows !== undefined && { rows }),
      ...(expireAt !== undefined && { expireAt }),
      ...(principal !== undefined && { principal }),
      ...(redshiftQueryId !== undefined && { redshiftQueryId }),
      ...(resource !== undefined && { resource }),
      ...(time !== undefined && { time }),
    },
  };
}

/** Reads the body of an SQS message that EventBridge delivered: the envelope as JSON text. */
export function parseCompletionEventBody(body: string): ParsedCompletionEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return fail(`message body is not JSON: ${(error as Error).message}`);
  }
  return parseCompletionEvent(parsed);
}
