/**
 * Intrinsic functions of the JSONPath query language (`"key.$": "States.Format('{}', $.x)"`).
 * Arguments are string literals in single quotes (escapes `\'`, `\{`, `\}`, `\\`), numbers,
 * booleans, null, paths (`$.x`, `$$.x`, `$var`) and nested intrinsic calls.
 * Source: Step Functions developer guide, "Intrinsic functions".
 */
import { createHash, randomUUID } from 'node:crypto';
import { StatesError, StatesErrors } from './errors.js';
import { readPath, type PathRoots } from './json-path.js';

/** `States.ArrayRange` returns at most 1,000 items (developer guide). */
const MAX_ARRAY_RANGE_ITEMS = 1000;
/** `States.Base64Encode`/`Decode` accept at most 10,000 characters (developer guide). */
const MAX_BASE64_INPUT_CHARS = 10_000;
/** `States.Hash` accepts at most 10,000 characters of data (developer guide). */
const MAX_HASH_INPUT_CHARS = 10_000;
const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

type Arg =
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; path: string }
  | { kind: 'call'; name: string; args: Arg[] };

function fail(cause: string): never {
  throw new StatesError(StatesErrors.IntrinsicFailure, cause);
}

class IntrinsicParser {
  pos = 0;
  constructor(readonly text: string) {}

  spaces(): void {
    while (/\s/.test(this.text.charAt(this.pos))) this.pos++;
  }

  call(): Arg {
    const match = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (match === null)
      fail(`Invalid intrinsic function '${this.text}': expected States.<Function>(...)`);
    this.pos += match[0].length;
    this.spaces();
    if (this.text.charAt(this.pos) !== '(')
      fail(`Invalid intrinsic function '${this.text}': expected '('`);
    this.pos++;
    const args: Arg[] = [];
    this.spaces();
    if (this.text.charAt(this.pos) === ')') this.pos++;
    else {
      for (;;) {
        this.spaces();
        args.push(this.arg());
        this.spaces();
        const c = this.text.charAt(this.pos);
        this.pos++;
        if (c === ')') break;
        if (c !== ',') fail(`Invalid intrinsic function '${this.text}': expected ',' or ')'`);
      }
    }
    return { kind: 'call', name: match[0], args };
  }

  arg(): Arg {
    const rest = this.text.slice(this.pos);
    if (rest.startsWith('States.')) return this.call();
    if (rest.startsWith("'")) return { kind: 'literal', value: this.string() };
    if (rest.startsWith('$')) return { kind: 'path', path: this.path() };
    const match = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(rest);
    if (match === null)
      fail(`Invalid intrinsic function '${this.text}': unexpected argument at '${rest}'`);
    this.pos += match[0].length;
    return { kind: 'literal', value: JSON.parse(match[0]) as unknown };
  }

  /** Keeps `\{` and `\}` escaped: only `States.Format` gives them meaning. */
  string(): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length)
        fail(`Invalid intrinsic function '${this.text}': unterminated string`);
      const c = this.text.charAt(this.pos);
      if (c === "'") break;
      if (c === '\\') {
        const next = this.text.charAt(this.pos + 1);
        out += next === '{' || next === '}' ? `\\${next}` : next;
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
    this.pos++;
    return out;
  }

  path(): string {
    const start = this.pos;
    let depth = 0;
    let quote = '';
    while (this.pos < this.text.length) {
      const c = this.text.charAt(this.pos);
      if (quote !== '') {
        if (c === quote) quote = '';
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (depth === 0 && (c === ',' || c === ')')) break;
      this.pos++;
    }
    return this.text.slice(start, this.pos).trim();
  }
}

/** True when a string value is an intrinsic function call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return text.trimStart().startsWith('States.');
}

function unescapeLiteral(text: string): string {
  return text.replace(/\\([{}])/g, '$1');
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function expectArgs(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    fail(`${name} takes ${expected} argument(s), got ${args.length}`);
  }
}

function expectArray(name: string, value: unknown, which: string): unknown[] {
  if (!Array.isArray(value))
    fail(`${name}: the ${which} argument must be an array, got ${JSON.stringify(value)}`);
  return value;
}

function expectString(name: string, value: unknown, which: string): string {
  if (typeof value !== 'string')
    fail(`${name}: the ${which} argument must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function expectInteger(name: string, value: unknown, which: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(`${name}: the ${which} argument must be an integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function format(template: string, values: unknown[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template.charAt(i);
    if (c === '\\' && (template.charAt(i + 1) === '{' || template.charAt(i + 1) === '}')) {
      out += template.charAt(i + 1);
      i++;
    } else if (c === '{' && template.charAt(i + 1) === '}') {
      if (next >= values.length) fail(`States.Format: the template has more {} than arguments`);
      const value = values[next++];
      if (typeof value === 'object' && value !== null) {
        fail('States.Format: arguments must be strings, numbers, booleans or null');
      }
      out += typeof value === 'string' ? value : JSON.stringify(value);
      i++;
    } else out += c;
  }
  if (next !== values.length)
    fail(`States.Format: ${values.length} arguments for ${next} {} placeholders`);
  return out;
}

type Impl = (args: unknown[]) => unknown;

const FUNCTIONS: Record<string, Impl> = {
  'States.Format': (args) => {
    if (args.length < 1) fail('States.Format takes a template and its values');
    return format(expectString('States.Format', args[0], 'first'), args.slice(1));
  },
  'States.StringToJson': (args) => {
    expectArgs('States.StringToJson', args, 1);
    const text = expectString('States.StringToJson', args[0], 'first');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return fail(`States.StringToJson: the argument is not valid JSON: ${text}`);
    }
  },
  'States.JsonToString': (args) => {
    expectArgs('States.JsonToString', args, 1);
    return JSON.stringify(args[0]);
  },
  'States.Array': (args) => args,
  'States.ArrayPartition': (args) => {
    expectArgs('States.ArrayPartition', args, 2);
    const array = expectArray('States.ArrayPartition', args[0], 'first');
    const size = expectInteger('States.ArrayPartition', args[1], 'second');
    if (size <= 0) fail('States.ArrayPartition: the chunk size must be greater than 0');
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
    return out;
  },
  'States.ArrayContains': (args) => {
    expectArgs('States.ArrayContains', args, 2);
    return expectArray('States.ArrayContains', args[0], 'first').some((item) =>
      deepEqual(item, args[1]),
    );
  },
  'States.ArrayRange': (args) => {
    expectArgs('States.ArrayRange', args, 3);
    const start = expectInteger('States.ArrayRange', args[0], 'first');
    const end = expectInteger('States.ArrayRange', args[1], 'second');
    const step = expectInteger('States.ArrayRange', args[2], 'third');
    if (step === 0) fail('States.ArrayRange: the step must not be 0');
    const out: number[] = [];
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
      out.push(v);
      if (out.length > MAX_ARRAY_RANGE_ITEMS)
        fail(`States.ArrayRange: more than ${MAX_ARRAY_RANGE_ITEMS} items`);
    }
    return out;
  },
  'States.ArrayGetItem': (args) => {
    expectArgs('States.ArrayGetItem', args, 2);
    const array = expectArray('States.ArrayGetItem', args[0], 'first');
    const index = expectInteger('States.ArrayGetItem', args[1], 'second');
    if (index < 0 || index >= array.length)
      fail(`States.ArrayGetItem: index ${index} is out of bounds (length ${array.length})`);
    return array[index];
  },
  'States.ArrayLength': (args) => {
    expectArgs('States.ArrayLength', args, 1);
    return expectArray('States.ArrayLength', args[0], 'first').length;
  },
  'States.ArrayUnique': (args) => {
    expectArgs('States.ArrayUnique', args, 1);
    const seen = new Set<string>();
    return expectArray('States.ArrayUnique', args[0], 'first').filter((item) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
  'States.Base64Encode': (args) => {
    expectArgs('States.Base64Encode', args, 1);
    const text = expectString('States.Base64Encode', args[0], 'first');
    if (text.length > MAX_BASE64_INPUT_CHARS)
      fail(`States.Base64Encode: input over ${MAX_BASE64_INPUT_CHARS} characters`);
    return Buffer.from(text, 'utf8').toString('base64');
  },
  'States.Base64Decode': (args) => {
    expectArgs('States.Base64Decode', args, 1);
    const text = expectString('States.Base64Decode', args[0], 'first');
    if (text.length > MAX_BASE64_INPUT_CHARS)
      fail(`States.Base64Decode: input over ${MAX_BASE64_INPUT_CHARS} characters`);
    return Buffer.from(text, 'base64').toString('utf8');
  },
  'States.Hash': (args) => {
    expectArgs('States.Hash', args, 2);
    const data = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
    if (data.length > MAX_HASH_INPUT_CHARS)
      fail(`States.Hash: data over ${MAX_HASH_INPUT_CHARS} characters`);
    const algorithm = HASH_ALGORITHMS[expectString('States.Hash', args[1], 'second')];
    if (algorithm === undefined)
      fail(`States.Hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    return createHash(algorithm).update(data, 'utf8').digest('hex');
  },
  'States.JsonMerge': (args) => {
    expectArgs('States.JsonMerge', args, 3);
    const [a, b, deep] = args;
    const isObject = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isObject(a) || !isObject(b))
      fail('States.JsonMerge: the first two arguments must be JSON objects');
    if (deep !== false)
      fail('States.JsonMerge: only shallow merge is supported, the third argument must be false');
    return { ...a, ...b };
  },
  'States.MathRandom': (args) => {
    expectArgs('States.MathRandom', args, 2, 3);
    const start = expectInteger('States.MathRandom', args[0], 'first');
    const end = expectInteger('States.MathRandom', args[1], 'second');
    return start + Math.floor(Math.random() * (end - start));
  },
  'States.MathAdd': (args) => {
    expectArgs('States.MathAdd', args, 2);
    return (
      expectInteger('States.MathAdd', args[0], 'first') +
      expectInteger('States.MathAdd', args[1], 'second')
    );
  },
  'States.StringSplit': (args) => {
    expectArgs('States.StringSplit', args, 2);
    const text = expectString('States.StringSplit', args[0], 'first');
    const delimiters = [...expectString('States.StringSplit', args[1], 'second')];
    const out: string[] = [];
    let current = '';
    for (const c of text) {
      if (delimiters.includes(c)) {
        if (current !== '') out.push(current);
        current = '';
      } else current += c;
    }
    if (current !== '') out.push(current);
    return out;
  },
  'States.UUID': (args) => {
    expectArgs('States.UUID', args, 0);
    return randomUUID();
  },
};

function evaluate(arg: Arg, roots: PathRoots): unknown {
  if (arg.kind === 'literal') return arg.value;
  if (arg.kind === 'path') return readPath(arg.path, roots);
  const impl = FUNCTIONS[arg.name];
  if (impl === undefined) fail(`Unknown intrinsic function ${arg.name}`);
  const values = arg.args.map((a, i) => {
    const v = evaluate(a, roots);
    const keepEscapes = arg.name === 'States.Format' && i === 0;
    return a.kind === 'literal' && typeof v === 'string' && !keepEscapes ? unescapeLiteral(v) : v;
  });
  return impl(values);
}

/** Evaluates one intrinsic function expression against the input, context and variables. */
export function evaluateIntrinsic(text: string, roots: PathRoots): unknown {
  const parser = new IntrinsicParser(text.trim());
  const call = parser.call();
  parser.spaces();
  if (parser.pos !== parser.text.length)
    fail(`Invalid intrinsic function '${text}': unexpected text after ')'`);
  return evaluate(call, roots);
}
