import { InvalidReportInputError } from './errors.js';

/** How one state leads to another. */
export type EdgeKind = 'next' | 'default' | 'choice' | 'catch' | 'start' | 'end';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** Short label (a Choice rule, a Catch's error names); `title` holds the full text. */
  readonly label?: string | undefined;
  readonly title?: string | undefined;
}

export interface GraphNode {
  /** Unique in the whole graph (scope path + state name). */
  readonly id: string;
  /** The state's name; `''` for the start and end markers. */
  readonly name: string;
  /** ASL `Type`, or `Start` / `End` for the markers. */
  readonly type: string;
  /** One short line under the name: the resource of a Task, the seconds of a Wait, ... */
  readonly detail: string;
  /** Parallel branches, or the one Map item processor. */
  readonly scopes: readonly GraphScope[];
}

/** A list of states with a `StartAt`: the top level, a Parallel branch or a Map iterator. */
export interface GraphScope {
  readonly id: string;
  readonly label: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Node ids in the order the layout should try first (StartAt first). */
  readonly roots: readonly string[];
}

/** Node ids of the start and end markers of the top-level scope. */
export const START_NODE_ID = '__start__';
export const END_NODE_ID = '__end__';

const LABEL_MAX_CHARS = 34;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shorten(text: string, max = LABEL_MAX_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `arn:aws:states:::lambda:invoke.waitForTaskToken` → `lambda:invoke.waitForTaskToken`. */
function shortResource(resource: string): string {
  const integration = /^arn:aws[\w-]*:states:::(.+)$/.exec(resource);
  if (integration?.[1]) return integration[1];
  const fn = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:(.+)$/.exec(resource);
  if (fn?.[1]) return `λ ${fn[1]}`;
  return resource;
}

function stateDetail(state: Json): string {
  const type = String(state['Type']);
  switch (type) {
    case 'Task': {
      const resource =
        typeof state['Resource'] === 'string' ? shortResource(state['Resource']) : '';
      const args = state['Parameters'] ?? state['Arguments'];
      const fn = isObject(args) ? (args['FunctionName'] ?? args['FunctionName.$']) : undefined;
      const fnName =
        typeof fn === 'string'
          ? (/:function:([^:]+)/.exec(fn)?.[1] ?? fn.replace(/^\$.*$/, 'dynamic'))
          : undefined;
      return fnName && resource.startsWith('lambda:') ? `${resource} · ${fnName}` : resource;
    }
    case 'Wait': {
      for (const key of ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath']) {
        if (state[key] !== undefined) return `${key} ${String(state[key])}`;
      }
      return '';
    }
    case 'Fail': {
      const error = state['Error'] ?? state['ErrorPath'];
      return typeof error === 'string' ? error : '';
    }
    case 'Parallel': {
      const branches = Array.isArray(state['Branches']) ? state['Branches'].length : 0;
      return `${branches} branch${branches === 1 ? '' : 'es'}`;
    }
    case 'Map': {
      const mc = state['MaxConcurrency'];
      return typeof mc === 'number' && mc > 0 ? `max concurrency ${mc}` : 'for each item';
    }
    default:
      return '';
  }
}

const OPERATORS: ReadonlyArray<readonly [RegExp, string]> = [
  [/LessThanEquals(Path)?$/, '<='],
  [/GreaterThanEquals(Path)?$/, '>='],
  [/LessThan(Path)?$/, '<'],
  [/GreaterThan(Path)?$/, '>'],
  [/Equals(Path)?$/, '=='],
  [/Matches$/, 'matches'],
];

/** A one-line rendering of a Choice rule, e.g. `$.status == "FAILED"`. */
export function describeChoiceRule(rule: Json): string {
  if (typeof rule['Condition'] === 'string') return rule['Condition'];
  for (const combinator of ['And', 'Or'] as const) {
    const parts = rule[combinator];
    if (Array.isArray(parts)) {
      const joiner = combinator === 'And' ? ' && ' : ' || ';
      return parts.map((p) => (isObject(p) ? `(${describeChoiceRule(p)})` : '?')).join(joiner);
    }
  }
  if (isObject(rule['Not'])) return `!(${describeChoiceRule(rule['Not'])})`;
  const variable = typeof rule['Variable'] === 'string' ? rule['Variable'] : '?';
  for (const [key, value] of Object.entries(rule)) {
    if (['Variable', 'Next', 'Comment', 'Assign', 'Output'].includes(key)) continue;
    if (key.startsWith('Is'))
      return `${variable} ${value === false ? 'is not' : 'is'} ${key.slice(2)}`;
    const op = OPERATORS.find(([pattern]) => pattern.test(key));
    if (op) {
      const shown = key.endsWith('Path') ? String(value) : JSON.stringify(value);
      return `${variable} ${op[1]} ${shown}`;
    }
  }
  return variable;
}

interface ScopeDefinition {
  readonly StartAt: string;
  readonly States: Record<string, unknown>;
}

function asScope(value: unknown, where: string): ScopeDefinition {
  if (!isObject(value) || typeof value['StartAt'] !== 'string' || !isObject(value['States'])) {
    throw new InvalidReportInputError(
      `${where} must be an object with "StartAt" (a state name) and "States" (an object of states); pass the parsed ASL definition`,
    );
  }
  if (!(value['StartAt'] in value['States'])) {
    throw new InvalidReportInputError(
      `${where}: StartAt names "${value['StartAt']}", which is not one of its States`,
    );
  }
  return { StartAt: value['StartAt'], States: value['States'] };
}

function buildScope(
  definition: ScopeDefinition,
  scopeId: string,
  label: string,
  where: string,
  top: boolean,
): GraphScope {
  const nodeId = (name: string): string => `${scopeId}/${name}`;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const target = (from: string, to: unknown, field: string): string => {
    if (typeof to !== 'string' || !(to in definition.States)) {
      throw new InvalidReportInputError(
        `${where}: state "${from}" has ${field} ${JSON.stringify(to)}, which is not a state of the same scope`,
      );
    }
    return nodeId(to);
  };
  if (top) {
    nodes.push({ id: START_NODE_ID, name: '', type: 'Start', detail: '', scopes: [] });
    edges.push({ from: START_NODE_ID, to: nodeId(definition.StartAt), kind: 'start' });
  }
  let hasEnd = false;
  for (const [name, raw] of Object.entries(definition.States)) {
    if (!isObject(raw) || typeof raw['Type'] !== 'string') {
      throw new InvalidReportInputError(
        `${where}: state "${name}" must be an object with a "Type"`,
      );
    }
    const id = nodeId(name);
    const type = raw['Type'];
    const scopes: GraphScope[] = [];
    if (type === 'Parallel') {
      const branches = Array.isArray(raw['Branches']) ? raw['Branches'] : [];
      branches.forEach((branch, i) => {
        const branchWhere = `${where} > "${name}".Branches[${i}]`;
        scopes.push(
          buildScope(
            asScope(branch, branchWhere),
            `${id}#${i}`,
            `Branch ${i + 1}`,
            branchWhere,
            false,
          ),
        );
      });
    } else if (type === 'Map') {
      const field = raw['ItemProcessor'] !== undefined ? 'ItemProcessor' : 'Iterator';
      const inner = raw[field];
      if (inner !== undefined) {
        const innerWhere = `${where} > "${name}".${field}`;
        scopes.push(
          buildScope(asScope(inner, innerWhere), `${id}#0`, 'Item processor', innerWhere, false),
        );
      }
    }
    nodes.push({ id, name, type, detail: stateDetail(raw), scopes });

    if (raw['Next'] !== undefined)
      edges.push({ from: id, to: target(name, raw['Next'], 'Next'), kind: 'next' });
    if (Array.isArray(raw['Choices'])) {
      raw['Choices'].forEach((rule, i) => {
        if (!isObject(rule)) return;
        const text = describeChoiceRule(rule);
        edges.push({
          from: id,
          to: target(name, rule['Next'], `Choices[${i}].Next`),
          kind: 'choice',
          label: shorten(text),
          title: text,
        });
      });
    }
    if (raw['Default'] !== undefined) {
      edges.push({
        from: id,
        to: target(name, raw['Default'], 'Default'),
        kind: 'default',
        label: 'Default',
      });
    }
    if (Array.isArray(raw['Catch'])) {
      raw['Catch'].forEach((catcher, i) => {
        if (!isObject(catcher)) return;
        const errors = Array.isArray(catcher['ErrorEquals'])
          ? catcher['ErrorEquals'].map(String)
          : [];
        const text = `Catch ${errors.join(', ')}`;
        edges.push({
          from: id,
          to: target(name, catcher['Next'], `Catch[${i}].Next`),
          kind: 'catch',
          label: shorten(text),
          title: text,
        });
      });
    }
    const ends = raw['End'] === true || type === 'Succeed' || type === 'Fail';
    if (ends && top) {
      edges.push({ from: id, to: END_NODE_ID, kind: 'end' });
      hasEnd = true;
    }
  }
  if (hasEnd) nodes.push({ id: END_NODE_ID, name: '', type: 'End', detail: '', scopes: [] });
  const roots = top ? [START_NODE_ID] : [nodeId(definition.StartAt)];
  return { id: scopeId, label, nodes, edges, roots };
}

/**
 * Reads an ASL definition into nested scopes of nodes and edges (Next, Default, Choices, Catch),
 * with Parallel branches and Map item processors as scopes inside their state's node.
 */
export function buildStateGraph(definition: object): GraphScope {
  return buildScope(asScope(definition, 'definition'), '', 'State machine', 'definition', true);
}
