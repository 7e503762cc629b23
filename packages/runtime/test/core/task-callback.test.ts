import { describe, expect, it } from 'vitest';
import { MAX_TASK_CAUSE_CHARS, MAX_TASK_OUTPUT_BYTES } from '../../src/contract/index.js';
import { callbackFor, causeText } from '../../src/core/task-callback.js';
import { columnKeys } from '../../src/core/result-rows.js';
import { trimText } from '../../src/core/trim-text.js';
import type { ResultPage, StatementDescription } from '../../src/ports/statement-api.js';
import { FakeStatementApi } from '../support/fakes.js';

async function finished(
  pages: ResultPage[],
  extra: Partial<StatementDescription> = {},
): Promise<{ api: FakeStatementApi; description: StatementDescription }> {
  const api = new FakeStatementApi();
  const { statementId } = await api.execute({
    statementName: 'p.x',
    statement: { kind: 'single', sql: 'select' },
    parameters: [],
  });
  api.finish(statementId, { hasResultSet: true, resultRows: 3, ...extra }, pages);
  return { api, description: await api.describe(statementId) };
}

const columns = [
  { name: 'id', typeName: 'int4' },
  { name: 'name', typeName: 'varchar' },
];

describe('callbackFor', () => {
  it('returns the rows of every page as objects keyed by column name', async () => {
    const { api, description } = await finished([
      {
        columns,
        records: [
          [1, 'a'],
          [2, null],
        ],
        totalNumRows: 3,
      },
      { columns: [], records: [[3, 'c']] },
    ]);

    const callback = await callbackFor(api, description, 'p.x', 'rows');

    expect(callback.kind).toBe('success');
    expect(callback.kind === 'success' && JSON.parse(callback.output)).toEqual({
      statementId: 'stmt-1',
      statementName: 'p.x',
      status: 'FINISHED',
      durationMs: 12,
      hasResultSet: true,
      resultRows: 3,
      columns,
      rows: [
        { id: 1, name: 'a' },
        { id: 2, name: null },
        { id: 3, name: 'c' },
      ],
    });
  });

  it('gives empty rows for a statement without a result set', async () => {
    const { api, description } = await finished([], { hasResultSet: false, resultRows: 0 });

    const callback = await callbackFor(api, description, 'p.x', 'rows');

    expect(callback.kind === 'success' && JSON.parse(callback.output)).toMatchObject({
      columns: [],
      rows: [],
    });
  });

  it('reads the rows of the last sub-statement with a result set in a batch', async () => {
    const api = new FakeStatementApi();
    await api.execute({
      statementName: 'p.b',
      statement: { kind: 'batch', sqls: ['insert', 'select'], executionMode: 'TRANSACTION' },
      parameters: [],
    });
    api.finish(
      'stmt-1',
      {
        subStatements: [
          { id: 'stmt-1:1', status: 'FINISHED', hasResultSet: false, resultRows: 2 },
          { id: 'stmt-1:2', status: 'FINISHED', hasResultSet: true, resultRows: 1 },
        ],
      },
      [{ columns, records: [[7, 'z']] }],
    );
    const read: string[] = [];
    const getResultPage = api.getResultPage.bind(api);
    api.getResultPage = (id, token) => {
      read.push(id);
      return getResultPage(id, token);
    };

    const callback = await callbackFor(api, await api.describe('stmt-1'), 'p.b', 'rows');

    expect(read).toEqual(['stmt-1:2']);
    expect(callback.kind === 'success' && JSON.parse(callback.output)).toMatchObject({
      subStatements: [
        { id: 'stmt-1:1', status: 'FINISHED', hasResultSet: false, resultRows: 2 },
        { id: 'stmt-1:2', status: 'FINISHED', hasResultSet: true, resultRows: 1 },
      ],
      rows: [{ id: 7, name: 'z' }],
    });
  });

  it('gives a Stepshift.ResultTooLarge failure with an UNLOAD hint instead of truncating, and stops reading pages', async () => {
    const big = 'x'.repeat(1000);
    const page = (from: number): ResultPage => ({
      columns,
      records: Array.from({ length: 100 }, (_v, i) => [from + i, big]),
      totalNumRows: 1000,
    });
    const { api, description } = await finished(
      Array.from({ length: 10 }, (_v, i) => page(i * 100)),
    );
    let pagesRead = 0;
    const getResultPage = api.getResultPage.bind(api);
    api.getResultPage = (id, token) => {
      pagesRead += 1;
      return getResultPage(id, token);
    };

    const callback = await callbackFor(api, description, 'p.x', 'rows');

    expect(callback.kind).toBe('failure');
    if (callback.kind !== 'failure') return;
    expect(callback.error).toBe('Stepshift.ResultTooLarge');
    const cause = JSON.parse(callback.cause) as Record<string, string>;
    expect(cause['error']).toMatch(
      new RegExp(
        `^The first 2\\d\\d of 1000 rows already take \\d+ bytes of JSON, over the ${MAX_TASK_OUTPUT_BYTES}-byte task output limit\\.$`,
      ),
    );
    expect(cause['hint']).toContain('UNLOAD');
    expect(pagesRead).toBe(3);
  });

  it('returns a result just under the limit as it is', async () => {
    // Each row {"id":N,"name":"xxx..."} is sized so the whole output lands just under 256 KiB.
    const { api, description } = await finished([
      { columns, records: Array.from({ length: 250 }, (_v, i) => [i, 'y'.repeat(1000)]) },
    ]);

    const callback = await callbackFor(api, description, 'p.x', 'rows');

    expect(callback.kind).toBe('success');
    expect(callback.kind === 'success' && Buffer.byteLength(callback.output)).toBeLessThanOrEqual(
      MAX_TASK_OUTPUT_BYTES,
    );
  });
});

describe('causeText', () => {
  it('trims long error texts so the cause stays valid JSON within 32,768 characters', () => {
    const text = causeText({
      statementId: 's',
      status: 'FAILED',
      error: 'e'.repeat(40_000),
      subStatements: [{ id: 's:1', status: 'FAILED', error: '"'.repeat(40_000) }],
    });

    expect(text.length).toBeLessThanOrEqual(MAX_TASK_CAUSE_CHARS);
    const parsed = JSON.parse(text) as { error: string; subStatements: { error: string }[] };
    expect(parsed.error).toMatch(/^e+\.\.\. \[\d+ characters trimmed\]$/);
    expect(parsed.subStatements[0]?.error).toMatch(/^"+\.\.\. \[\d+ characters trimmed\]$/);
  });
});

describe('trimText', () => {
  it('keeps short text and marks what it cut from long text', () => {
    expect(trimText('short', 10)).toBe('short');
    expect(trimText('a'.repeat(100), 40)).toBe(`${'a'.repeat(13)}... [87 characters trimmed]`);
    expect(trimText('a'.repeat(100), 40)).toHaveLength(40);
  });
});

describe('columnKeys', () => {
  it('suffixes repeated column names so no value is lost', () => {
    expect(columnKeys([{ name: 'id' }, { name: 'id' }, { name: 'x' }, { name: 'id' }])).toEqual([
      'id',
      'id_2',
      'x',
      'id_3',
    ]);
  });
});
