/** Progress lines for SQL statements: state, status, duration, rows or error, and the SQL. */
import type { StatementListener } from '../stack/statement-log.js';

const MAX_SQL_CHARS = 80;

export function statementPrinter(write: (line: string) => void): StatementListener {
  return (s) => {
    const sql = s.sql.replace(/\s+/g, ' ').trim();
    const shown = sql.length > MAX_SQL_CHARS ? `${sql.slice(0, MAX_SQL_CHARS - 1)}…` : sql;
    const outcome =
      s.error !== undefined ? `: ${s.error}` : s.rows !== undefined ? `, ${s.rows} row(s)` : '';
    const took = s.durationMs === undefined ? '' : ` in ${(s.durationMs / 1000).toFixed(3)}s`;
    write(
      `  ▪ SQL ${s.status}${took}${outcome} ${s.stateName === undefined ? '' : `[${s.stateName}] `}${shown}`,
    );
  };
}
