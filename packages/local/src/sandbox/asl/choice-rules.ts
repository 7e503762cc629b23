/**
 * Choice rules of the JSONPath query language: data-test expressions with `Variable` and one
 * comparison operator (or its `...Path` form), combined with `And`, `Or` and `Not`. A type
 * mismatch makes a comparison false; a missing `Variable` path is a `States.Runtime` error
 * except for `IsPresent`. Source: developer guide, "Choice workflow state".
 */
import type { ChoiceRule } from './definition.js';
import { runtimeError } from './errors.js';
import { queryPath, readPath, type PathRoots } from './json-path.js';

/** RFC 3339 with an uppercase T and Z, as the developer guide requires for Timestamp operators. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';
const COMPARISON =
  /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;
const TYPE_TESTS = [
  'IsNull',
  'IsPresent',
  'IsNumeric',
  'IsString',
  'IsBoolean',
  'IsTimestamp',
] as const;
const NON_OPERATOR_FIELDS = new Set([
  'Variable',
  'Next',
  'Comment',
  'Output',
  'Assign',
  'Condition',
]);

export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

function ofKind(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'String':
      return typeof value === 'string';
    case 'Numeric':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Timestamp':
      return isTimestamp(value);
  }
}

function compare(kind: Kind, relation: Relation, a: unknown, b: unknown): boolean {
  if (!ofKind(kind, a) || !ofKind(kind, b)) return false;
  if (kind === 'Boolean') return relation === 'Equals' && a === b;
  const x = kind === 'Timestamp' ? Date.parse(a as string) : (a as string | number);
  const y = kind === 'Timestamp' ? Date.parse(b as string) : (b as string | number);
  switch (relation) {
    case 'Equals':
      return x === y;
    case 'LessThan':
      return x < y;
    case 'GreaterThan':
      return x > y;
    case 'LessThanEquals':
      return x <= y;
    case 'GreaterThanEquals':
      return x >= y;
  }
}

/** `StringMatches`: `*` is any run of characters; `\*` and `\\` are literal. */
export function stringMatches(value: string, pattern: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      regex += pattern.charAt(i + 1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    } else if (c === '*') regex += '[\\s\\S]*';
    else regex += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`).test(value);
}

function operatorOf(rule: ChoiceRule): string {
  const operators = Object.keys(rule).filter((key) => !NON_OPERATOR_FIELDS.has(key));
  if (operators.length !== 1) {
    throw runtimeError(
      `A choice rule needs exactly one comparison operator, got ${JSON.stringify(operators)}`,
    );
  }
  return operators[0] as string;
}

/** Evaluates one JSONPath choice rule against the state's effective input. */
export function evaluateChoiceRule(rule: ChoiceRule, roots: PathRoots): boolean {
  if (rule.And !== undefined) return rule.And.every((r) => evaluateChoiceRule(r, roots));
  if (rule.Or !== undefined) return rule.Or.some((r) => evaluateChoiceRule(r, roots));
  if (rule.Not !== undefined) return !evaluateChoiceRule(rule.Not, roots);
  const operator = operatorOf(rule);
  const expected = rule[operator];
  if (rule.Variable === undefined)
    throw runtimeError(`The choice rule with ${operator} has no Variable`);
  if (operator === 'IsPresent') return queryPath(rule.Variable, roots).found === expected;
  const actual = readPath(rule.Variable, roots, 'Variable path');
  if ((TYPE_TESTS as readonly string[]).includes(operator)) {
    const result =
      operator === 'IsNull'
        ? actual === null
        : operator === 'IsNumeric'
          ? typeof actual === 'number'
          : operator === 'IsString'
            ? typeof actual === 'string'
            : operator === 'IsBoolean'
              ? typeof actual === 'boolean'
              : isTimestamp(actual);
    return result === expected;
  }
  if (operator === 'StringMatches') {
    return (
      typeof actual === 'string' && typeof expected === 'string' && stringMatches(actual, expected)
    );
  }
  const match = COMPARISON.exec(operator);
  if (match === null) throw runtimeError(`Unknown choice operator '${operator}'`);
  const kind = match[1] as Kind;
  const relation = match[2] as Relation;
  if (kind === 'Boolean' && relation !== 'Equals')
    throw runtimeError(`Unknown choice operator '${operator}'`);
  const other = match[3] === 'Path' ? readPath(String(expected), roots, `${operator}`) : expected;
  return compare(kind, relation, actual, other);
}
