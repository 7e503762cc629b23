import { systemClock, type Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { defaultNewId } from '../core/core-deps.js';
import { createJsonLogger } from '../core/json-logger.js';
import type { HandlerConfig } from './handler-config.js';

/** Optional overrides every handler factory accepts (tests, the sandbox). */
export interface HandlerRuntimeOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly newId?: () => string;
}

export function handlerRuntime(
  name: string,
  config: HandlerConfig,
  options: HandlerRuntimeOptions,
): { logger: Logger; clock: Clock; newId: () => string } {
  return {
    logger:
      options.logger ??
      createJsonLogger({
        ...(config.logLevel !== undefined && { level: config.logLevel }),
        base: { handler: name, statementPrefix: config.statementPrefix },
      }),
    clock: options.clock ?? systemClock,
    newId: options.newId ?? defaultNewId,
  };
}
