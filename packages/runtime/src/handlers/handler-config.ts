import { EnvVars, MAX_WAIT_TIME_SECONDS, statementPrefixIsValid } from '../contract/index.js';
import { dataApiTargetFromEnv, type DataApiTarget } from '../aws/data-api-target.js';
import { ConfigurationError } from '../core/configuration-error.js';
import { coreConfig, type CoreConfig } from '../core/core-config.js';
import { parseLogLevel } from '../core/json-logger.js';
import type { LogLevel } from '../ports/logger.js';

/**
 * What a handler needs besides its SDK clients: read from the environment by the Lambda
 * entry points, or passed to the `create...Handler` factories (the sandbox, tests).
 */
export interface HandlerConfig {
  readonly tableName: string;
  readonly statementPrefix: string;
  /** Required by the tasker and the reconciler (they start statements). */
  readonly target?: DataApiTarget;
  /** @default 0 (Defaults.fastPathSeconds) */
  readonly fastPathSeconds?: number;
  /** @default 120 (Defaults.reconcileGraceSeconds) */
  readonly reconcileGraceSeconds?: number;
  /** @default 604800 (Defaults.trackingRetentionSeconds) */
  readonly trackingRetentionSeconds?: number;
  /** @default 300 (RuntimeDefaults.claimLeaseSeconds) */
  readonly claimLeaseSeconds?: number;
  /** @default 100 (RuntimeDefaults.reconcileBatchSize) */
  readonly reconcileBatchSize?: number;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '') {
    throw new ConfigurationError(`${name} is not set: the construct sets it on every handler`);
  }
  return value;
}

function seconds(env: Env, name: string, max?: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || (max !== undefined && value > max)) {
    throw new ConfigurationError(
      `${name} is ${JSON.stringify(raw)}: give a whole number of seconds from 0${max !== undefined ? ` to ${max}` : ''}`,
    );
  }
  return value;
}

/** Reads `EnvVars`; throws `ConfigurationError` naming the variable to fix. */
export function handlerConfigFromEnv(
  env: Env,
  options: { readonly needsTarget: boolean },
): HandlerConfig {
  const fastPathSeconds = seconds(env, EnvVars.fastPathSeconds, MAX_WAIT_TIME_SECONDS);
  const reconcileGraceSeconds = seconds(env, EnvVars.reconcileGraceSeconds);
  const trackingRetentionSeconds = seconds(env, EnvVars.trackingRetentionSeconds);
  return {
    tableName: required(env, EnvVars.tableName),
    statementPrefix: required(env, EnvVars.statementPrefix),
    ...(options.needsTarget && { target: dataApiTargetFromEnv(env) }),
    ...(fastPathSeconds !== undefined && { fastPathSeconds }),
    ...(reconcileGraceSeconds !== undefined && { reconcileGraceSeconds }),
    ...(trackingRetentionSeconds !== undefined && { trackingRetentionSeconds }),
    logLevel: parseLogLevel(env[EnvVars.logLevel]),
  };
}

/** The algorithms' config, with defaults; checks the prefix. */
export function coreConfigOf(config: HandlerConfig): CoreConfig {
  if (!statementPrefixIsValid(config.statementPrefix)) {
    throw new ConfigurationError(
      `statement prefix ${JSON.stringify(config.statementPrefix)} is invalid: use 1-100 letters, digits and _ . : -`,
    );
  }
  return coreConfig({
    statementPrefix: config.statementPrefix,
    ...(config.fastPathSeconds !== undefined && { fastPathSeconds: config.fastPathSeconds }),
    ...(config.reconcileGraceSeconds !== undefined && {
      reconcileGraceSeconds: config.reconcileGraceSeconds,
    }),
    ...(config.trackingRetentionSeconds !== undefined && {
      trackingRetentionSeconds: config.trackingRetentionSeconds,
    }),
    ...(config.claimLeaseSeconds !== undefined && { claimLeaseSeconds: config.claimLeaseSeconds }),
    ...(config.reconcileBatchSize !== undefined && {
      reconcileBatchSize: config.reconcileBatchSize,
    }),
  });
}

export function requireTarget(config: HandlerConfig, handler: string): DataApiTarget {
  if (config.target === undefined) {
    throw new ConfigurationError(
      `the ${handler} starts statements and needs a Data API target (cluster or workgroup, database, auth)`,
    );
  }
  return config.target;
}
