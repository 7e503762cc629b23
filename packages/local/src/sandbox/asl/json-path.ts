/**
 * The JSONPath subset Step Functions accepts: `$` (input), `$$` (context object) and, since
 * variables, `$name`; child (`.a`, `['a']`), index (`[0]`, `[-1]`), wildcard (`.*`, `[*]`),
 * recursive descent (`..a`), unions (`[0,2]`, `['a','b']`), slices (`[1:3]`) and filters
 * (`[?(@.price < 10 && @.ok)]`). A path made only of child and index steps is "definite" and
 * yields one value; any other yields the list of matches, as Jayway JsonPath (used by AWS) does.
 */
import { runtimeError } from './errors.js';

export type PathRoot = { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string };

type FilterOperand = { kind: 'path'; segments: Segment[] } | { kind: 'literal'; value: unknown };
type FilterExpr =
  | { kind: 'exists'; operand: FilterOperand }
  | { kind: 'compare'; op: string; left: FilterOperand; right: FilterOperand }
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr };

type Segment =
  | { kind: 'child'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'descendant'; name: string | null }
  | { kind: 'union'; keys: (string | number)[] }
  | { kind: 'slice'; start: number | undefined; end: number | undefined; step: number }
  | { kind: 'filter'; expr: FilterExpr };

export interface ParsedPath {
  readonly text: string;
  readonly root: PathRoot;
  readonly segments: readonly Segment[];
  /** Only child and index steps: one value or none. */
  readonly definite: boolean;
}

export interface PathRoots {
  readonly input: unknown;
  readonly context?: unknown;
  readonly variables?: ReadonlyMap<string, unknown>;
}

const IDENT = /[A-Za-z0-9_\-$]/;

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw runtimeError(`Invalid path '${this.text}': ${what} at position ${this.pos}`);
  }

  peek(n = 0): string {
    return this.text.charAt(this.pos + n);
  }

  skipSpaces(): void {
    while (this.peek() === ' ') this.pos++;
  }

  ident(): string {
    const start = this.pos;
    while (this.pos < this.text.length && IDENT.test(this.peek())) this.pos++;
    if (this.pos === start) this.fail('expected a name');
    return this.text.slice(start, this.pos);
  }

  quoted(): string {
    const quote = this.peek();
    this.pos++;
    let out = '';
    while (this.pos < this.text.length && this.peek() !== quote) {
      if (this.peek() === '\\') this.pos++;
      out += this.peek();
      this.pos++;
    }
    if (this.peek() !== quote) this.fail('unterminated string');
    this.pos++;
    return out;
  }

  integer(): number | undefined {
    const match = /^-?\d+/.exec(this.text.slice(this.pos));
    if (match === null) return undefined;
    this.pos += match[0].length;
    return Number(match[0]);
  }

  segments(stopAt: (c: string) => boolean): Segment[] {
    const out: Segment[] = [];
    while (this.pos < this.text.length && !stopAt(this.peek())) {
      const c = this.peek();
      if (c === '.' && this.peek(1) === '.') {
        this.pos += 2;
        if (this.peek() === '*') {
          this.pos++;
          out.push({ kind: 'descendant', name: null });
        } else out.push({ kind: 'descendant', name: this.ident() });
      } else if (c === '.') {
        this.pos++;
        if (this.peek() === '*') {
          this.pos++;
          out.push({ kind: 'wildcard' });
        } else out.push({ kind: 'child', name: this.ident() });
      } else if (c === '[') {
        this.pos++;
        this.skipSpaces();
        out.push(this.bracket());
        this.skipSpaces();
        if (this.peek() !== ']') this.fail("expected ']'");
        this.pos++;
      } else this.fail(`unexpected '${c}'`);
    }
    return out;
  }

  bracket(): Segment {
    const c = this.peek();
    if (c === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    if (c === '?') {
      this.pos++;
      if (this.peek() !== '(') this.fail("expected '(' after '?'");
      this.pos++;
      const expr = this.filterOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail("expected ')'");
      this.pos++;
      return { kind: 'filter', expr };
    }
    const keys: (string | number)[] = [];
    let sliceStart: number | undefined;
    for (;;) {
      this.skipSpaces();
      if (this.peek() === "'" || this.peek() === '"') keys.push(this.quoted());
      else if (this.peek() === ':') {
        sliceStart = undefined;
        return this.slice(sliceStart);
      } else {
        const n = this.integer();
        if (n === undefined) this.fail('expected an index, a quoted name, * or a filter');
        if (this.peek() === ':') return this.slice(n);
        keys.push(n);
      }
      this.skipSpaces();
      if (this.peek() !== ',') break;
      this.pos++;
    }
    if (keys.length === 1) {
      const key = keys[0] as string | number;
      return typeof key === 'number' ? { kind: 'index', index: key } : { kind: 'child', name: key };
    }
    return { kind: 'union', keys };
  }

  slice(start: number | undefined): Segment {
    this.pos++; // ':'
    const end = this.integer();
    let step = 1;
    if (this.peek() === ':') {
      this.pos++;
      step = this.integer() ?? 1;
    }
    return { kind: 'slice', start, end, step };
  }

  filterOr(): FilterExpr {
    let left = this.filterAnd();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith('||', this.pos)) {
        this.pos += 2;
        left = { kind: 'or', left, right: this.filterAnd() };
      } else return left;
    }
  }

  filterAnd(): FilterExpr {
    let left = this.filterAtom();
    for (;;) {
      this.skipSpaces();
      if (this.text.startsWith('&&', this.pos)) {
        this.pos += 2;
        left = { kind: 'and', left, right: this.filterAtom() };
      } else return left;
    }
  }

  filterAtom(): FilterExpr {
    this.skipSpaces();
    if (this.peek() === '(') {
      this.pos++;
      const inner = this.filterOr();
      this.skipSpaces();
      if (this.peek() !== ')') this.fail("expected ')'");
      this.pos++;
      return inner;
    }
    const left = this.operand();
    this.skipSpaces();
    const op = /^(==|!=|<=|>=|<|>)/.exec(this.text.slice(this.pos))?.[0];
    if (op === undefined) return { kind: 'exists', operand: left };
    this.pos += op.length;
    this.skipSpaces();
    return { kind: 'compare', op, left, right: this.operand() };
  }

  operand(): FilterOperand {
    const c = this.peek();
    if (c === '@') {
      this.pos++;
      return { kind: 'path', segments: this.segments((ch) => /[\s)=!<>&|]/.test(ch)) };
    }
    if (c === "'" || c === '"') return { kind: 'literal', value: this.quoted() };
    const match = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos));
    if (match === null) this.fail('expected @, a number, a string, true, false or null');
    this.pos += match[0].length;
    return { kind: 'literal', value: JSON.parse(match[0]) as unknown };
  }
}

const cache = new Map<string, ParsedPath>();

/** Parses a path; throws `States.Runtime` naming the path when it is not valid. */
export function parsePath(text: string): ParsedPath {
  // A definition is untyped JSON: `"InputPath": 5` or `"Variable": 5` must not become a TypeError.
  if (typeof text !== 'string') {
    throw runtimeError(
      `Invalid path ${JSON.stringify(text)}: a path must be a string starting with $`,
    );
  }
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const parser = new Parser(text.trim());
  let root: PathRoot;
  if (parser.text.startsWith('$$')) {
    root = { kind: 'context' };
    parser.pos = 2;
  } else if (parser.text.startsWith('$') && IDENT.test(parser.text.charAt(1))) {
    parser.pos = 1;
    root = { kind: 'variable', name: parser.ident() };
  } else if (parser.text.startsWith('$')) {
    root = { kind: 'input' };
    parser.pos = 1;
  } else return parser.fail("a path starts with '$'");
  const segments = parser.segments(() => false);
  const parsed: ParsedPath = {
    text,
    root,
    segments,
    definite: segments.every((s) => s.kind === 'child' || s.kind === 'index'),
  };
  cache.set(text, parsed);
  return parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (isObject(node)) return Object.values(node);
  return [];
}

function applySegment(nodes: unknown[], segment: Segment): unknown[] {
  const out: unknown[] = [];
  for (const node of nodes) {
    switch (segment.kind) {
      case 'child':
        if (isObject(node) && Object.hasOwn(node, segment.name)) out.push(node[segment.name]);
        break;
      case 'index':
        if (Array.isArray(node)) {
          const i = segment.index < 0 ? node.length + segment.index : segment.index;
          if (i >= 0 && i < node.length) out.push(node[i]);
        }
        break;
      case 'wildcard':
        out.push(...children(node));
        break;
      case 'union':
        for (const key of segment.keys) {
          out.push(
            ...applySegment(
              [node],
              typeof key === 'number'
                ? { kind: 'index', index: key }
                : { kind: 'child', name: key },
            ),
          );
        }
        break;
      case 'slice':
        if (Array.isArray(node)) {
          const len = node.length;
          const norm = (v: number | undefined, dflt: number): number =>
            v === undefined ? dflt : v < 0 ? Math.max(0, len + v) : Math.min(v, len);
          const start = norm(segment.start, 0);
          const end = norm(segment.end, len);
          for (let i = start; i < end; i += Math.max(1, segment.step)) out.push(node[i]);
        }
        break;
      case 'descendant': {
        const visit = (n: unknown): void => {
          if (segment.name === null) out.push(...children(n));
          else if (isObject(n) && Object.hasOwn(n, segment.name)) out.push(n[segment.name]);
          for (const child of children(n)) visit(child);
        };
        visit(node);
        break;
      }
      case 'filter':
        for (const child of children(node)) if (filterMatches(segment.expr, child)) out.push(child);
        break;
    }
  }
  return out;
}

function operandValue(operand: FilterOperand, item: unknown): { found: boolean; value: unknown } {
  if (operand.kind === 'literal') return { found: true, value: operand.value };
  const nodes = operand.segments.reduce(applySegment, [item]);
  return nodes.length === 0 ? { found: false, value: undefined } : { found: true, value: nodes[0] };
}

function filterMatches(expr: FilterExpr, item: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return filterMatches(expr.left, item) && filterMatches(expr.right, item);
    case 'or':
      return filterMatches(expr.left, item) || filterMatches(expr.right, item);
    case 'exists':
      return operandValue(expr.operand, item).found;
    case 'compare': {
      const left = operandValue(expr.left, item);
      const right = operandValue(expr.right, item);
      if (!left.found || !right.found) return false;
      const a = left.value;
      const b = right.value;
      if (expr.op === '==') return JSON.stringify(a) === JSON.stringify(b);
      if (expr.op === '!=') return JSON.stringify(a) !== JSON.stringify(b);
      const comparable =
        (typeof a === 'number' && typeof b === 'number') ||
        (typeof a === 'string' && typeof b === 'string');
      if (!comparable) return false;
      const x = a as number | string;
      const y = b as number | string;
      return expr.op === '<' ? x < y : expr.op === '<=' ? x <= y : expr.op === '>' ? x > y : x >= y;
    }
  }
}

function rootValue(path: ParsedPath, roots: PathRoots): unknown {
  switch (path.root.kind) {
    case 'input':
      return roots.input;
    case 'context':
      return roots.context;
    case 'variable': {
      const { name } = path.root;
      if (roots.variables === undefined || !roots.variables.has(name)) {
        throw runtimeError(`Invalid path '${path.text}': The variable '${name}' is not defined`);
      }
      return roots.variables.get(name);
    }
  }
}

/** Evaluates a path: `found` is false when a definite path matches nothing. */
export function queryPath(text: string, roots: PathRoots): { found: boolean; value: unknown } {
  const path = parsePath(text);
  const nodes = path.segments.reduce(applySegment, [rootValue(path, roots)]);
  if (path.definite)
    return nodes.length === 0
      ? { found: false, value: undefined }
      : { found: true, value: nodes[0] };
  return { found: true, value: nodes };
}

/** Evaluates a path that must match, or fails like Step Functions with `States.Runtime`. */
export function readPath(text: string, roots: PathRoots, what = 'path'): unknown {
  const { found, value } = queryPath(text, roots);
  if (!found) throw runtimeError(`Invalid ${what} '${text}': No results for path: ${text}`);
  return value;
}

/**
 * Writes `value` at a reference path (child and index steps only) into a copy of `target`,
 * creating missing objects, as `ResultPath` does. Fails with `States.ResultPathMatchFailure`
 * semantics left to the caller (it gets `undefined` when the path cannot be applied).
 */
export function writePath(
  target: unknown,
  text: string,
  value: unknown,
): { ok: true; value: unknown } | { ok: false } {
  const path = parsePath(text);
  if (path.root.kind !== 'input' || !path.definite) {
    throw runtimeError(
      `Invalid path '${text}': a ResultPath must be a reference path starting with '$'`,
    );
  }
  if (path.segments.length === 0) return { ok: true, value };
  const copy: unknown = structuredClone(target);
  let node: unknown = copy;
  const segments = path.segments;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as Segment;
    const last = i === segments.length - 1;
    if (segment.kind === 'child') {
      if (!isObject(node)) return { ok: false };
      if (last) node[segment.name] = value;
      else {
        if (!Object.hasOwn(node, segment.name)) node[segment.name] = {};
        node = node[segment.name];
      }
    } else if (segment.kind === 'index') {
      if (!Array.isArray(node) || segment.index >= node.length || segment.index < 0)
        return { ok: false };
      if (last) node[segment.index] = value;
      else node = node[segment.index] as unknown;
    }
  }
  return { ok: true, value: copy };
}
