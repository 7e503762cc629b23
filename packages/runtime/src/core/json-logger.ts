import { LogLevels, type LogFields, type LogLevel, type Logger } from '../ports/logger.js';

/** Field names never written, whatever a caller passes: task tokens and parameter values. */
const REDACTED_FIELDS = new Set(['taskToken', 'sqlParameters', 'parameters', 'token']);

export interface JsonLoggerOptions {
  readonly level?: LogLevel;
  /** Fields on every line (handler name, prefix...). */
  readonly base?: LogFields;
  /** Where lines go; defaults to stdout (CloudWatch Logs in Lambda). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

function redact(value: unknown, depth: number): unknown {
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { name: value.name, message: value.message };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = REDACTED_FIELDS.has(key) ? '[redacted]' : redact(item, depth + 1);
  }
  return out;
}

/** Reads a level name such as `info` or `WARN`; anything else gives `INFO`. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const upper = value?.toUpperCase();
  return LogLevels.find((level) => level === upper) ?? 'INFO';
}

/** One JSON object per line: `{level, time, message, ...base, ...fields}`. */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const threshold = LogLevels.indexOf(options.level ?? 'INFO');
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const log =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (LogLevels.indexOf(level) < threshold) return;
      const line = {
        level,
        time: now().toISOString(),
        message,
        ...(redact(options.base ?? {}, 0) as Record<string, unknown>),
        ...(redact(fields ?? {}, 0) as Record<string, unknown>),
      };
      write(JSON.stringify(line));
    };
  return { debug: log('DEBUG'), info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
}

/** A logger that drops everything (tests, the demo). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
