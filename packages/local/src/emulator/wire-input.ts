import { ValidationException } from './errors.js';

/** A request body: a JSON object. */
export type WireInput = Readonly<Record<string, unknown>>;

export function requiredString(input: WireInput, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationException(`${field} is required and must be a non-empty string.`);
  }
  return value;
}

export function optionalString(input: WireInput, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ValidationException(`${field} must be a string.`);
  return value;
}

export function optionalBoolean(input: WireInput, field: string): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ValidationException(`${field} must be a boolean.`);
  return value;
}

export function optionalInteger(
  input: WireInput,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationException(
      `${field} must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

export function optionalEnum<T extends string>(
  input: WireInput,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ValidationException(
      `${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`,
    );
  }
  return value as T;
}

/** Epoch seconds, the awsJson1_1 timestamp form. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** Opaque page tokens: base64 of `<scope>|<offset>`. */
export function encodeToken(scope: string, offset: number): string {
  return Buffer.from(`${scope}|${offset}`).toString('base64');
}

export function decodeToken(token: string | undefined, scope: string): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64').toString();
  const separator = text.lastIndexOf('|');
  const offset = Number(text.slice(separator + 1));
  if (
    separator < 0 ||
    text.slice(0, separator) !== scope ||
    !Number.isInteger(offset) ||
    offset < 0
  ) {
    throw new ValidationException(
      'NextToken is invalid: pass the NextToken of the previous response of the same request.',
    );
  }
  return offset;
}
