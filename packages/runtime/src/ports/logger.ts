/** Fields of a log line. Never put task tokens or SQL parameter values here. */
export type LogFields = Readonly<Record<string, unknown>>;

export const LogLevels = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LogLevels)[number];

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}
