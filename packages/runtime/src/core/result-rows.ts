import type {
  JsonScalar,
  ResultColumn,
  StatementApi,
  StatementDescription,
} from '../ports/statement-api.js';
import { jsonBytes } from './task-output.js';

export type Row = Readonly<Record<string, JsonScalar>>;

export type CollectedRows =
  | { readonly ok: true; readonly columns: readonly ResultColumn[]; readonly rows: Row[] }
  | {
      readonly ok: false;
      /** Bytes of the rows read before giving up (already over the budget). */
      readonly bytesRead: number;
      readonly rowsRead: number;
      readonly totalNumRows?: number;
    };

/**
 * Which statement holds the rows: the statement itself, or for a batch the last
 * sub-statement with a result set (a batch's results can only be read per sub-statement).
 * `undefined` when there is no result set at all.
 */
export function resultStatementId(description: StatementDescription): string | undefined {
  if (description.subStatements !== undefined && description.subStatements.length > 0) {
    const withRows = description.subStatements.filter((sub) => sub.hasResultSet === true);
    return withRows[withRows.length - 1]?.id;
  }
  return description.hasResultSet === true ? description.id : undefined;
}

/**
 * Column keys of the row objects: the column name, with `_2`, `_3`... appended to repeated
 * names (`SELECT a.id, b.id` would otherwise lose a value).
 */
export function columnKeys(columns: readonly ResultColumn[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((column) => {
    const count = (seen.get(column.name) ?? 0) + 1;
    seen.set(column.name, count);
    return count === 1 ? column.name : `${column.name}_${count}`;
  });
}

/**
 * Reads every page of a result, stopping as soon as the rows alone exceed `budgetBytes`
 * (no point in reading 500 MB to report that 256 KiB is too small).
 */
export async function collectRows(
  statements: StatementApi,
  statementId: string,
  budgetBytes: number,
): Promise<CollectedRows> {
  const rows: Row[] = [];
  let columns: readonly ResultColumn[] = [];
  let keys: string[] = [];
  let bytes = 2; // "[]"
  let nextToken: string | undefined;
  let totalNumRows: number | undefined;
  do {
    const page = await statements.getResultPage(statementId, nextToken);
    if (columns.length === 0 && page.columns.length > 0) {
      columns = page.columns;
      keys = columnKeys(columns);
    }
    totalNumRows = page.totalNumRows ?? totalNumRows;
    for (const record of page.records) {
      const row: Record<string, JsonScalar> = {};
      keys.forEach((key, index) => {
        row[key] = record[index] ?? null;
      });
      rows.push(row);
      bytes += jsonBytes(JSON.stringify(row)) + 1;
      if (bytes > budgetBytes) {
        return {
          ok: false,
          bytesRead: bytes,
          rowsRead: rows.length,
          ...(totalNumRows !== undefined && { totalNumRows }),
        };
      }
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined && nextToken !== '');
  return { ok: true, columns, rows };
}
