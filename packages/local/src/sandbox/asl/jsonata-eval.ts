/**
 * The JSONata query language (`"QueryLanguage": "JSONata"`): any string `{% expr %}` in a field
 * that accepts JSONata is evaluated with `$states` (input, result, errorOutput, context) and the
 * execution's variables bound. Failures raise `States.QueryEvaluationError`.
 */
import jsonata from 'jsonata';
import { StatesError, StatesErrors } from './errors.js';

export interface StatesBinding {
  readonly input: unknown;
  readonly context: unknown;
  readonly result?: unknown;
  readonly errorOutput?: unknown;
}

const EXPRESSION = /^\s*\{%([\s\S]*)%\}\s*$/;
const compiled = new Map<string, jsonata.Expression>();

export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value);
}

async function evaluateExpression(
  text: string,
  states: StatesBinding,
  variables: ReadonlyMap<string, unknown>,
): Promise<unknown> {
  const body = EXPRESSION.exec(text)?.[1] ?? '';
  let expression = compiled.get(body);
  try {
    if (expression === undefined) {
      expression = jsonata(body);
      compiled.set(body, expression);
    }
    const bindings: Record<string, unknown> = Object.fromEntries(variables);
    bindings['states'] = states;
    return (await expression.evaluate(undefined, bindings)) as unknown;
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    throw new StatesError(
      StatesErrors.QueryEvaluationError,
      `The JSONata expression '${body.trim()}' failed: ${message}`,
    );
  }
}

/** Evaluates every `{% %}` string inside a value (objects and arrays recursively). */
export async function evaluateJsonata(
  template: unknown,
  states: StatesBinding,
  variables: ReadonlyMap<string, unknown>,
): Promise<unknown> {
  if (isJsonataExpression(template)) {
    const value = await evaluateExpression(template, states, variables);
    // JSONata sequences are arrays with extra flags; hand back plain JSON.
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
  }
  if (Array.isArray(template)) {
    return Promise.all(template.map((item) => evaluateJsonata(item, states, variables)));
  }
  if (typeof template === 'object' && template !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
      const evaluated = await evaluateJsonata(value, states, variables);
      if (evaluated !== undefined) out[key] = evaluated;
    }
    return out;
  }
  return template;
}
