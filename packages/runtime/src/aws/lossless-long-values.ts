import type { GetStatementResultCommand } from '@aws-sdk/client-redshift-data';

/**
 * A Redshift BIGINT arrives as a JSON number in `{"longValue": ...}`, and the SDK parses JSON
 * numbers as doubles: beyond 2^53 digits are lost silently (9007199254740993 reads as
 * 9007199254740992). Before the SDK parses a GetStatementResult body, this rewrites each
 * such field that is not a safe integer to `{"stringValue": "<every digit>"}`, the way
 * DECIMAL values already come back. Safe integers stay numbers.
 *
 * Only a `"longValue"` key that opens or follows a member of an object is matched: inside a
 * JSON string the quotes are escaped (`\"longValue\"`), so text values are never touched.
 */
const LONG_VALUE_FIELD = /([{,]\s*)"longValue"\s*:\s*(-?\d+)(?=\s*[},])/g;

export function losslessLongValues(json: string): string {
  return json.replace(LONG_VALUE_FIELD, (whole, before: string, digits: string) =>
    Number.isSafeInteger(Number(digits)) ? whole : `${before}"stringValue":"${digits}"`,
  );
}

const MIDDLEWARE_NAME = 'stepshiftLosslessLongValues';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

async function bodyBytes(body: unknown): Promise<Buffer | undefined> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (isRecord(body) && Symbol.asyncIterator in body) {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
  return undefined;
}

function isEncoded(headers: unknown): boolean {
  if (!isRecord(headers)) return false;
  return Object.entries(headers).some(
    ([name, value]) =>
      name.toLowerCase() === 'content-encoding' &&
      typeof value === 'string' &&
      value.toLowerCase() !== 'identity',
  );
}

/**
 * Adds the rewrite to one GetStatementResult command, in the deserialize step below the
 * SDK's deserializer, so it sees (and replaces) the raw HTTP body of every attempt.
 */
export function keepLongValuesLossless(command: GetStatementResultCommand): void {
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response: unknown = result.response;
      if (isRecord(response) && response['statusCode'] === 200 && !isEncoded(response['headers'])) {
        const bytes = await bodyBytes(response['body']);
        if (bytes !== undefined) {
          const text = bytes.toString('utf8');
          const rewritten = losslessLongValues(text);
          // Untouched bodies go back byte for byte.
          response['body'] = rewritten === text ? bytes : Buffer.from(rewritten, 'utf8');
        }
      }
      return result;
    },
    { step: 'deserialize', priority: 'low', name: MIDDLEWARE_NAME },
  );
}
