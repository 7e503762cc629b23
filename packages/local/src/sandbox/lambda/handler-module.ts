/**
 * Loads a user handler from a `--handler FunctionName=./path.js#export` specification.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LambdaHandler } from './lambda-registry.js';

/** The export used when a specification names none (Lambda's usual `index.handler`). */
const DEFAULT_EXPORT = 'handler';

export class HandlerSpecError extends Error {
  override readonly name = 'HandlerSpecError';
}

export interface HandlerSpec {
  readonly functionName: string;
  readonly modulePath: string;
  readonly exportName: string;
}

/** Parses `FunctionName=./path.js#export` (the export defaults to `handler`). */
export function parseHandlerSpec(text: string): HandlerSpec {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) {
    throw new HandlerSpecError(
      `--handler '${text}' must look like FunctionName=./path/to/module.js#exportName`,
    );
  }
  const functionName = text.slice(0, eq);
  const target = text.slice(eq + 1);
  const hash = target.lastIndexOf('#');
  return hash < 0
    ? { functionName, modulePath: target, exportName: DEFAULT_EXPORT }
    : {
        functionName,
        modulePath: target.slice(0, hash),
        exportName: target.slice(hash + 1) || DEFAULT_EXPORT,
      };
}

export async function loadHandler(
  spec: HandlerSpec,
  cwd: string = process.cwd(),
): Promise<LambdaHandler> {
  const file = isAbsolute(spec.modulePath) ? spec.modulePath : resolve(cwd, spec.modulePath);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    throw new HandlerSpecError(
      `Cannot load the handler module '${file}' for '${spec.functionName}': ${reason}`,
    );
  }
  const exported = module[spec.exportName];
  if (typeof exported !== 'function') {
    const available = Object.keys(module).filter((key) => typeof module[key] === 'function');
    throw new HandlerSpecError(
      `The module '${file}' has no function export '${spec.exportName}' for '${spec.functionName}' (function exports: ${available.join(', ') || 'none'})`,
    );
  }
  return exported as LambdaHandler;
}
