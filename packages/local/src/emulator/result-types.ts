/**
 * Maps PostgreSQL result columns to the Data API's `ColumnMetadata` and `Field` unions the way
 * Redshift reports them: integers as `longValue`, floating point as `doubleValue`, booleans as
 * `booleanValue`, DECIMAL and every date/time/text type as `stringValue` in PostgreSQL's text
 * form, binary as `blobValue`, SQL NULL as `isNull: true`. Type names are Redshift's (`int4`,
 * `varchar`, `numeric`, `timestamp`, ...); PostgreSQL `text` is reported as `varchar`, `bytea`
 * as `varbyte` and `json`/`jsonb` as `super`, the Redshift types they stand in for.
 */

/** A column of an engine result: name and PostgreSQL type OID. */
export interface EngineColumn {
  readonly name: string;
  readonly typeOid: number;
}

/** A Data API `Field` (wire form: `blobValue` is base64). */
export type WireField =
  | { readonly isNull: true }
  | { readonly booleanValue: boolean }
  | { readonly longValue: number }
  | { readonly doubleValue: number }
  | { readonly stringValue: string }
  | { readonly blobValue: string };

/** A Data API `ColumnMetadata`. */
export interface WireColumnMetadata {
  readonly isCaseSensitive: boolean;
  readonly isCurrency: boolean;
  readonly isSigned: boolean;
  readonly label: string;
  readonly length: number;
  readonly name: string;
  readonly nullable: number;
  readonly precision: number;
  readonly scale: number;
  readonly schemaName: string;
  readonly tableName: string;
  readonly typeName: string;
}

type FieldKind = 'long' | 'double' | 'boolean' | 'string' | 'blob';

interface TypeInfo {
  readonly typeName: string;
  readonly kind: FieldKind;
  readonly precision: number;
  readonly scale: number;
  readonly signed: boolean;
  readonly caseSensitive: boolean;
}

const t = (
  typeName: string,
  kind: FieldKind,
  precision: number,
  scale = 0,
  signed = false,
  caseSensitive = false,
): TypeInfo => ({ typeName, kind, precision, scale, signed, caseSensitive });

/** PostgreSQL built-in type OIDs (pg_type.dat) to Redshift's reporting. */
const TYPES: ReadonlyMap<number, TypeInfo> = new Map([
  [16, t('bool', 'boolean', 1)],
  [17, t('varbyte', 'blob', 1024000)],
  [18, t('char', 'string', 1, 0, false, true)],
  [19, t('name', 'string', 64, 0, false, true)],
  [20, t('int8', 'long', 19, 0, true)],
  [21, t('int2', 'long', 5, 0, true)],
  [23, t('int4', 'long', 10, 0, true)],
  [25, t('varchar', 'string', 65535, 0, false, true)],
  [26, t('oid', 'long', 10, 0, false)],
  [114, t('super', 'string', 4194304, 0, false, true)],
  [700, t('float4', 'double', 8, 8, true)],
  [701, t('float8', 'double', 17, 17, true)],
  [1042, t('bpchar', 'string', 4096, 0, false, true)],
  [1043, t('varchar', 'string', 65535, 0, false, true)],
  [1082, t('date', 'string', 13)],
  [1083, t('time', 'string', 15, 6)],
  [1114, t('timestamp', 'string', 29, 6)],
  [1184, t('timestamptz', 'string', 35, 6)],
  [1186, t('interval', 'string', 49, 6)],
  [1266, t('timetz', 'string', 21, 6)],
  [1700, t('numeric', 'string', 38, 0, true)],
  [2950, t('uuid', 'string', 36, 0, false, true)],
  [3802, t('super', 'string', 4194304, 0, false, true)],
]);

const UNKNOWN_TYPE: TypeInfo = t('varchar', 'string', 65535, 0, false, true);

function info(typeOid: number): TypeInfo {
  return TYPES.get(typeOid) ?? UNKNOWN_TYPE;
}

export function columnMetadata(column: EngineColumn): WireColumnMetadata {
  const type = info(column.typeOid);
  return {
    isCaseSensitive: type.caseSensitive,
    isCurrency: false,
    isSigned: type.signed,
    label: column.name,
    length: 0,
    name: column.name,
    nullable: 1,
    precision: type.precision,
    scale: type.scale,
    schemaName: '',
    tableName: '',
    typeName: type.typeName,
  };
}

/** Converts one value in PostgreSQL's text form to the `Field` Redshift would return. */
export function toField(value: string | null, typeOid: number): WireField {
  if (value === null) return { isNull: true };
  switch (info(typeOid).kind) {
    case 'long':
      return { longValue: Number(value) };
    case 'double': {
      const n = Number(value);
      return Number.isFinite(n) ? { doubleValue: n } : { stringValue: value };
    }
    case 'boolean':
      return { booleanValue: value === 't' || value === 'true' };
    case 'blob':
      return { blobValue: byteaToBase64(value) };
    case 'string':
      return { stringValue: value };
  }
}

/** Converts a value to a plain JavaScript value, for the in-process `sql()` helper. */
export function toPlainValue(
  value: string | null,
  typeOid: number,
): string | number | boolean | Uint8Array | null {
  if (value === null) return null;
  switch (info(typeOid).kind) {
    case 'long':
    case 'double':
      return Number(value);
    case 'boolean':
      return value === 't' || value === 'true';
    case 'blob':
      return Buffer.from(byteaToBase64(value), 'base64');
    case 'string':
      return value;
  }
}

/** PostgreSQL's `bytea` text output is hex (`\x0a0b`); the wire form is base64. */
function byteaToBase64(value: string): string {
  return value.startsWith('\\x')
    ? Buffer.from(value.slice(2), 'hex').toString('base64')
    : Buffer.from(value).toString('base64');
}

/** The text a CSV result carries for a value (GetStatementResultV2). */
export function csvValue(value: string | null, typeOid: number): string {
  if (value === null) return '';
  const kind = info(typeOid).kind;
  const text = kind === 'boolean' ? String(value === 't') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
