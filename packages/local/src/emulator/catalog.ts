import type { Engine, EngineResult } from './engine.js';
import { DatabaseConnectionException } from './errors.js';
import { columnMetadata } from './result-types.js';
import type { ResolvedTarget } from './target.js';

/** Schemas PostgreSQL has that Redshift users never see listed as theirs. */
const HIDDEN_SCHEMAS = "('pg_toast')";

/**
 * ListDatabases, ListSchemas, ListTables and DescribeTable, answered from the target
 * database's own catalog (`information_schema`). Patterns are SQL LIKE patterns, as in AWS.
 */
export class CatalogQueries {
  constructor(private readonly engine: Engine) {}

  async databases(target: ResolvedTarget, configured: readonly string[]): Promise<string[]> {
    this.key(target);
    return [...configured].sort();
  }

  async schemas(target: ResolvedTarget, pattern: string | undefined): Promise<string[]> {
    const result = await this.query(
      target,
      `SELECT schema_name FROM information_schema.schemata
       WHERE schema_name NOT IN ${HIDDEN_SCHEMAS} AND schema_name NOT LIKE 'pg_temp%' AND schema_name NOT LIKE 'pg_toast_temp%'
       AND schema_name LIKE $1 ORDER BY schema_name`,
      [pattern ?? '%'],
    );
    return result.rows.map((r) => r[0] as string);
  }

  async tables(
    target: ResolvedTarget,
    schemaPattern: string | undefined,
    tablePattern: string | undefined,
  ): Promise<{ name: string; schema: string; type: string }[]> {
    const result = await this.query(
      target,
      `SELECT table_name, table_schema, CASE table_type WHEN 'BASE TABLE' THEN 'TABLE' ELSE table_type END
       FROM information_schema.tables
       WHERE table_schema LIKE $1 AND table_name LIKE $2 AND table_schema NOT IN ('pg_catalog', 'information_schema')
       ORDER BY table_schema, table_name`,
      [schemaPattern ?? '%', tablePattern ?? '%'],
    );
    return result.rows.map((r) => ({
      name: r[0] as string,
      schema: r[1] as string,
      type: r[2] as string,
    }));
  }

  async columns(
    target: ResolvedTarget,
    schema: string,
    table: string | undefined,
  ): Promise<Record<string, unknown>[]> {
    const result = await this.query(
      target,
      `SELECT c.column_name, a.atttypid::int, c.is_nullable, c.column_default, c.character_maximum_length,
              c.numeric_precision, c.numeric_scale, c.table_name
       FROM information_schema.columns c
       JOIN pg_catalog.pg_attribute a
         ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
        AND a.attname = c.column_name
       WHERE c.table_schema = $1 AND ($2::text IS NULL OR c.table_name = $2)
       ORDER BY c.table_name, c.ordinal_position`,
      [schema, table ?? null],
    );
    return result.rows.map((r) => {
      const base = columnMetadata({ name: r[0] as string, typeOid: Number(r[1]) });
      const length = r[4] === null ? 0 : Number(r[4]);
      return {
        ...base,
        nullable: r[2] === 'YES' ? 1 : 0,
        ...(r[3] !== null && { columnDefault: r[3] }),
        length,
        precision: r[5] !== null ? Number(r[5]) : length > 0 ? length : base.precision,
        scale: r[6] !== null ? Number(r[6]) : base.scale,
        schemaName: schema,
        tableName: r[7] as string,
      };
    });
  }

  private key(target: ResolvedTarget): string {
    if (target.databaseKey === undefined) {
      throw new DatabaseConnectionException(
        `Database Connection Error: FATAL: database "${target.database}" does not exist`,
      );
    }
    return target.databaseKey;
  }

  private async query(
    target: ResolvedTarget,
    sql: string,
    values: readonly (string | null)[],
  ): Promise<EngineResult> {
    const session = await this.engine.acquire(this.key(target));
    try {
      return await session.query(sql, values);
    } finally {
      session.release();
    }
  }
}
