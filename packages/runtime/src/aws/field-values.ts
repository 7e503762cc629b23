import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type { JsonScalar, ResultColumn } from '../ports/statement-api.js';

/**
 * A Data API `Field` as JSON: null, boolean, number (long and double), string (text, dates,
 * DECIMAL/NUMERIC kept as strings so no digit is lost), and bytes as base64.
 */
export function fieldToJson(field: Field): JsonScalar {
  if (field.isNull === true) return null;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) {
    return Number.isFinite(field.doubleValue) ? field.doubleValue : String(field.doubleValue);
  }
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString('base64');
  return null;
}

export function columnFromMetadata(column: ColumnMetadata, index: number): ResultColumn {
  // `label` carries the alias the SQL gave (`AS total`); `name` the underlying column.
  const name = column.label ?? column.name ?? `column${index + 1}`;
  return {
    name,
    ...(column.typeName !== undefined && { typeName: column.typeName }),
  };
}
