import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { StepshiftValidationError } from './errors.js';

/** The four Lambda handlers of a tasker, as bundled by `scripts/build.mjs`. */
export type HandlerName = 'tasker' | 'completer' | 'reconciler' | 'canceller';

/** File name of each bundle inside its asset folder; the handler export is `handler`. */
const BUNDLE_FILE = 'index.mjs';

/** `assets/` next to `lib/` (jsii output) and `src/` (tests run the sources). */
export function handlerAssetDir(name: HandlerName): string {
  return join(__dirname, '..', '..', 'assets', name);
}

/** The prebuilt bundle as Lambda code: no Docker, no network, no bundling at synth time. */
export function handlerCode(name: HandlerName): lambda.Code {
  const dir = handlerAssetDir(name);
  if (!existsSync(join(dir, BUNDLE_FILE))) {
    throw new StepshiftValidationError(
      `the ${name} handler bundle is missing at ${join(dir, BUNDLE_FILE)}: build @stepshift/cdk first (npm run build -w @stepshift/cdk)`,
    );
  }
  return lambda.Code.fromAsset(dir);
}

/** `index.mjs` exporting `handler`. */
export const HANDLER_ENTRY = 'index.handler';
