/**
 * The checks `CreateStateMachine` makes that matter for running a definition: known state
 * types, `StartAt` and every transition naming a state, and every non-terminal state having
 * `Next` or `End`, and well-formed `Retry`/`Catch` lists (`States.ALL` alone and last, as the ASL
 * specification requires). Failures are an `InvalidDefinitionError` naming the state and the field.
 */
import type { Branch, State } from './definition.js';
import { InvalidDefinitionError, StatesErrors } from './errors.js';

const TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

/** `Retry`/`Catch`: arrays of entries with a non-empty `ErrorEquals`; `States.ALL` alone, last. */
function checkErrorHandlers(state: State, name: string, where: string): void {
  for (const field of ['Retry', 'Catch'] as const) {
    const entries: unknown = state[field];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      throw new InvalidDefinitionError(
        `${where}: state '${name}' has a "${field}" that is not an array`,
      );
    }
    entries.forEach((entry: unknown, index) => {
      const errorEquals: unknown =
        typeof entry === 'object' && entry !== null
          ? (entry as Record<string, unknown>)['ErrorEquals']
          : undefined;
      if (
        !Array.isArray(errorEquals) ||
        errorEquals.length === 0 ||
        !errorEquals.every((e) => typeof e === 'string')
      ) {
        throw new InvalidDefinitionError(
          `${where}: state '${name}' ${field}[${index}] needs a non-empty "ErrorEquals" array of error names`,
        );
      }
      if (!errorEquals.includes(StatesErrors.All)) return;
      if (errorEquals.length > 1) {
        throw new InvalidDefinitionError(
          `${where}: state '${name}' has States.ALL in ${field}[${index}] with other error names (it must appear alone)`,
        );
      }
      if (index !== entries.length - 1) {
        throw new InvalidDefinitionError(
          `${where}: state '${name}' has States.ALL in ${field}[${index}], which is not the last entry (it must be last)`,
        );
      }
    });
  }
}

function checkBranch(branch: Branch, where: string): void {
  if (
    typeof branch !== 'object' ||
    branch === null ||
    typeof branch.States !== 'object' ||
    branch.States === null
  ) {
    throw new InvalidDefinitionError(
      `${where}: a definition needs "StartAt" and a "States" object`,
    );
  }
  const names = new Set(Object.keys(branch.States));
  if (!names.has(branch.StartAt)) {
    throw new InvalidDefinitionError(
      `${where}: StartAt '${String(branch.StartAt)}' is not a state of this definition`,
    );
  }
  const target = (name: string, field: string, next: unknown): void => {
    if (typeof next !== 'string' || !names.has(next)) {
      throw new InvalidDefinitionError(
        `${where}: state '${name}' has ${field} '${String(next)}', which is not a state`,
      );
    }
  };
  for (const [name, state] of Object.entries(branch.States) as [string, State][]) {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new InvalidDefinitionError(
        `${where}: state '${name}' must be a JSON object with a "Type"`,
      );
    }
    if (!TYPES.has(state.Type)) {
      throw new InvalidDefinitionError(
        `${where}: state '${name}' has unknown Type '${String(state.Type)}' (expected one of ${[...TYPES].join(', ')})`,
      );
    }
    const terminal = state.Type === 'Choice' || state.Type === 'Succeed' || state.Type === 'Fail';
    if (!terminal) {
      if (state.End !== true && state.Next === undefined) {
        throw new InvalidDefinitionError(`${where}: state '${name}' needs "Next" or "End": true`);
      }
      if (state.Next !== undefined) target(name, 'Next', state.Next);
    }
    checkErrorHandlers(state, name, where);
    for (const catcher of state.Catch ?? []) target(name, 'Catch Next', catcher.Next);
    if (state.Type === 'Task' && typeof state.Resource !== 'string') {
      throw new InvalidDefinitionError(`${where}: Task state '${name}' needs a "Resource" string`);
    }
    if (state.Type === 'Task') {
      // The ASL specification allows a fixed value or a path for each timeout, not both.
      for (const field of ['TimeoutSeconds', 'HeartbeatSeconds'] as const) {
        if (state[field] !== undefined && state[`${field}Path`] !== undefined) {
          throw new InvalidDefinitionError(
            `${where}: Task state '${name}' has both "${field}" and "${field}Path": keep one`,
          );
        }
      }
    }
    if (state.Type === 'Choice') {
      if (!Array.isArray(state.Choices) || state.Choices.length === 0) {
        throw new InvalidDefinitionError(
          `${where}: Choice state '${name}' needs a non-empty "Choices" array`,
        );
      }
      for (const rule of state.Choices) target(name, 'Choices Next', rule.Next);
      if (state.Default !== undefined) target(name, 'Default', state.Default);
    }
    if (state.Type === 'Parallel') {
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
        throw new InvalidDefinitionError(
          `${where}: Parallel state '${name}' needs a non-empty "Branches" array`,
        );
      }
      state.Branches.forEach((b, i) => checkBranch(b, `${where} > ${name} branch ${i}`));
    }
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor === undefined)
        throw new InvalidDefinitionError(`${where}: Map state '${name}' needs an "ItemProcessor"`);
      checkBranch(processor, `${where} > ${name} ItemProcessor`);
    }
  }
}

export function validateDefinition(definition: Branch): void {
  checkBranch(definition, 'definition');
}
