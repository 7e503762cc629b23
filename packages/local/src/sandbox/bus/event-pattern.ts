/**
 * EventBridge event pattern matching: exact values, `prefix`, `suffix`, `anything-but` (values,
 * prefix, suffix, equals-ignore-case, wildcard), `exists`, `numeric`, `equals-ignore-case`,
 * `wildcard`, `cidr`, `$or`, nested objects, and arrays as OR (a pattern list matches when any
 * entry matches; an event array matches when any element matches).
 * Source: EventBridge user guide, "Event patterns" and "Content filtering".
 */

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternException';
}

type Json = unknown;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): never {
  throw new InvalidEventPatternError(`Event pattern is not valid: ${message}`);
}

function wildcardMatches(value: string, pattern: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      regex += pattern.charAt(++i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '*') regex += '[\\s\\S]*';
    else regex += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`).test(value);
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0;
  for (const part of parts) {
    const n = Number(part);
    if (!/^\d{1,3}$/.test(part) || n > 255) return undefined;
    out = out * 256 + n;
  }
  return out;
}

function cidrMatches(value: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText ?? '32');
  const a = ipv4ToInt(value);
  const b = ipv4ToInt(base ?? '');
  if (a === undefined || b === undefined) return false;
  if (bits === 0) return true;
  const shift = 32 - bits;
  return Math.floor(a / 2 ** shift) === Math.floor(b / 2 ** shift);
}

function stringOperand(op: string, operand: unknown): { text: string; ignoreCase: boolean } {
  if (typeof operand === 'string') return { text: operand, ignoreCase: false };
  if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return { text: operand['equals-ignore-case'], ignoreCase: true };
  }
  return invalid(
    `"${op}" needs a string or {"equals-ignore-case": string}, got ${JSON.stringify(operand)}`,
  );
}

function numericMatches(value: number, conditions: unknown): boolean {
  if (!Array.isArray(conditions) || conditions.length === 0 || conditions.length % 2 !== 0) {
    invalid(`"numeric" needs operator/number pairs, got ${JSON.stringify(conditions)}`);
  }
  for (let i = 0; i < conditions.length; i += 2) {
    const op = conditions[i] as unknown;
    const n = conditions[i + 1] as unknown;
    if (typeof n !== 'number')
      invalid(`"numeric" operand must be a number, got ${JSON.stringify(n)}`);
    const ok =
      op === '='
        ? value === n
        : op === '<'
          ? value < n
          : op === '<='
            ? value <= n
            : op === '>'
              ? value > n
              : op === '>='
                ? value >= n
                : invalid(`unknown numeric operator ${JSON.stringify(op)}`);
    if (!ok) return false;
  }
  return true;
}

/** One pattern entry (a literal or a `{operator: operand}` object) against one present leaf value. */
function leafMatches(matcher: Json, value: Json): boolean {
  if (!isObject(matcher)) {
    if (typeof matcher === 'object' && matcher !== null)
      invalid(`nested arrays are not allowed: ${JSON.stringify(matcher)}`);
    return matcher === value;
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1)
    invalid(`a matcher object has exactly one operator, got ${JSON.stringify(matcher)}`);
  const op = keys[0] as string;
  const operand = matcher[op];
  switch (op) {
    case 'prefix':
    case 'suffix': {
      const { text, ignoreCase } = stringOperand(op, operand);
      if (typeof value !== 'string') return false;
      const v = ignoreCase ? value.toLowerCase() : value;
      const t = ignoreCase ? text.toLowerCase() : text;
      return op === 'prefix' ? v.startsWith(t) : v.endsWith(t);
    }
    case 'equals-ignore-case':
      if (typeof operand !== 'string') invalid(`"equals-ignore-case" needs a string`);
      return typeof value === 'string' && value.toLowerCase() === operand.toLowerCase();
    case 'wildcard':
      if (typeof operand !== 'string') invalid(`"wildcard" needs a string`);
      return typeof value === 'string' && wildcardMatches(value, operand);
    case 'numeric':
      return typeof value === 'number' && numericMatches(value, operand);
    case 'cidr':
      if (typeof operand !== 'string') invalid(`"cidr" needs a string`);
      return typeof value === 'string' && cidrMatches(value, operand);
    case 'anything-but': {
      if (isObject(operand)) {
        const inner = Object.keys(operand)[0];
        if (
          inner === 'prefix' ||
          inner === 'suffix' ||
          inner === 'wildcard' ||
          inner === 'equals-ignore-case'
        ) {
          const listed = operand[inner];
          const options = Array.isArray(listed) ? listed : [listed];
          return !options.some((o) => leafMatches({ [inner]: o }, value));
        }
        return invalid(
          `"anything-but" supports values, prefix, suffix, wildcard and equals-ignore-case, got ${JSON.stringify(operand)}`,
        );
      }
      const options = Array.isArray(operand) ? operand : [operand];
      return !options.some((o) => o === value);
    }
    default:
      return invalid(`unknown operator "${op}"`);
  }
}

/** The entries of one field's pattern list against the field's value (absent = undefined). */
function fieldMatches(entries: Json, value: Json, present: boolean): boolean {
  if (isObject(entries)) {
    // A nested object pattern.
    if (!present || !isObject(value)) return false;
    return objectMatches(entries, value);
  }
  if (!Array.isArray(entries))
    invalid(`a pattern value must be an array or an object, got ${JSON.stringify(entries)}`);
  const values = Array.isArray(value) ? value : [value];
  return entries.some((entry: Json) => {
    if (isObject(entry) && 'exists' in entry) {
      if (typeof entry['exists'] !== 'boolean') invalid('"exists" needs true or false');
      // exists only applies to leaf values.
      const leafPresent =
        present && !isObject(value) && !(Array.isArray(value) && value.length === 0);
      return entry['exists'] === leafPresent;
    }
    if (!present) return false;
    return values.some((v) => !isObject(v) && leafMatches(entry, v));
  });
}

function objectMatches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  for (const [key, entries] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(entries) || entries.length < 2)
        invalid('"$or" needs an array of at least two patterns');
      if (!entries.some((p: Json) => isObject(p) && objectMatches(p, event))) return false;
      continue;
    }
    if (!fieldMatches(entries, event[key], Object.hasOwn(event, key))) return false;
  }
  return true;
}

/** Checks a pattern's shape and operators without an event (as PutRule does). */
export function validateEventPattern(pattern: unknown): void {
  if (!isObject(pattern)) invalid('the pattern must be a JSON object');
  // Walk every leaf by matching against an empty event; operators are checked as they are met.
  const walk = (node: Record<string, unknown>): void => {
    for (const [key, entries] of Object.entries(node)) {
      if (key === '$or') {
        if (!Array.isArray(entries)) invalid('"$or" needs an array');
        for (const p of entries as Json[]) if (isObject(p)) walk(p);
      } else if (isObject(entries)) walk(entries);
      else if (!Array.isArray(entries))
        invalid(
          `the value of "${key}" must be an array or an object, got ${JSON.stringify(entries)}`,
        );
      else
        for (const entry of entries as Json[])
          if (isObject(entry) && !('exists' in entry))
            for (const probe of ['', 0]) leafMatches(entry, probe);
    }
  };
  walk(pattern);
}

/** True when the event matches the pattern. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) invalid('the pattern must be a JSON object');
  return isObject(event) && objectMatches(pattern, event);
}
