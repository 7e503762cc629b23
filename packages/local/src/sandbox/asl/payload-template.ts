/**
 * JSONPath payload templates (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`): a key
 * ending in `.$` takes its value from a path or an intrinsic function; other values are kept.
 */
import { runtimeError } from './errors.js';
import { isIntrinsic, evaluateIntrinsic } from './intrinsics.js';
import { queryPath, type PathRoots } from './json-path.js';

export function applyPayloadTemplate(template: unknown, roots: PathRoots): unknown {
  if (Array.isArray(template)) return template.map((item) => applyPayloadTemplate(item, roots));
  if (typeof template !== 'object' || template === null) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
    if (!key.endsWith('.$')) {
      out[key] = applyPayloadTemplate(value, roots);
      continue;
    }
    const field = key.slice(0, -2);
    if (typeof value !== 'string') {
      throw runtimeError(
        `The value of the field '${key}' must be a path or an intrinsic function, got ${JSON.stringify(value)}`,
      );
    }
    if (isIntrinsic(value)) {
      out[field] = evaluateIntrinsic(value, roots);
      continue;
    }
    const { found, value: resolved } = queryPath(value, roots);
    if (!found) {
      throw runtimeError(
        `The JSONPath '${value}' specified for the field '${key}' could not be found in the input '${JSON.stringify(value.startsWith('$$') ? roots.context : roots.input)}'`,
      );
    }
    out[field] = resolved;
  }
  return out;
}
