import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbTrackingStore } from '../../src/aws/dynamodb-tracking-store.js';
import type { NewTrackingRecord } from '../../src/ports/tracking-store.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';

const T0 = 1_700_000_000_000;

function newRecord(name: string, extra: Partial<NewTrackingRecord> = {}): NewTrackingRecord {
  return {
    statementName: name,
    taskToken: `token-of-${name}`,
    request: {
      action: 'execute',
      statement: { kind: 'single', sql: 'select 1' },
      parameters: [{ name: 'id', value: '42' }],
      resultMode: 'none',
    },
    now: T0,
    expiresAt: T0 / 1000 + 3600,
    ...extra,
  };
}

describe('DynamoDbTrackingStore over dynalite', () => {
  let dynamo: LocalDynamoDb;
  let store: DynamoDbTrackingStore;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await dynamo.close();
  });
  let table: string;
  beforeEach(async () => {
    table = await dynamo.createTrackingTable();
    store = new DynamoDbTrackingStore(dynamo.client, table);
  });

  it('registers a new row as REGISTERED and pending, and reads it back', async () => {
    const result = await store.register(
      newRecord('p.a', { executionArn: 'arn:exec:1', stateName: 'Load' }),
    );

    expect(result).toEqual({ created: true });
    expect(await store.get('p.a')).toEqual({
      statementName: 'p.a',
      taskToken: 'token-of-p.a',
      status: 'REGISTERED',
      request: {
        action: 'execute',
        statement: { kind: 'single', sql: 'select 1' },
        parameters: [{ name: 'id', value: '42' }],
        resultMode: 'none',
      },
      createdAt: T0,
      updatedAt: T0,
      expiresAt: T0 / 1000 + 3600,
      executionArn: 'arn:exec:1',
      stateName: 'Load',
      pendingSince: T0,
    });
  });

  it('returns the existing row when the same statement name registers again', async () => {
    await store.register(newRecord('p.a'));

    const again = await store.register(newRecord('p.a', { now: T0 + 5 }));

    expect(again.created).toBe(false);
    expect(again.created === false && again.existing.createdAt).toBe(T0);
  });

  it('returns undefined for a row that does not exist', async () => {
    expect(await store.get('p.none')).toBeUndefined();
  });

  it('marks a REGISTERED row SUBMITTED with its statement id, only once', async () => {
    await store.register(newRecord('p.a'));

    expect(await store.markSubmitted('p.a', 'sid-1', T0 + 10, 99)).toBe(true);
    expect(await store.markSubmitted('p.a', 'sid-2', T0 + 20, 99)).toBe(false);

    const row = await store.get('p.a');
    expect(row).toMatchObject({
      status: 'SUBMITTED',
      statementId: 'sid-1',
      pendingSince: T0 + 10,
      updatedAt: T0 + 10,
      expiresAt: 99,
    });
  });

  it('fails when marking a row that does not exist (condition fails, no row created)', async () => {
    expect(await store.markSubmitted('p.none', 'sid', T0, 99)).toBe(false);
    expect(await store.get('p.none')).toBeUndefined();
  });

  it('claims a pending row once; a second claim loses while the lease lives', async () => {
    await store.register(newRecord('p.a'));

    const first = await store.claim('p.a', { claimId: 'c1', now: T0, leaseUntil: T0 + 1000 });
    const second = await store.claim('p.a', {
      claimId: 'c2',
      now: T0 + 999,
      leaseUntil: T0 + 2000,
    });

    expect(first).toEqual(await store.get('p.a'));
    expect(second).toBeUndefined();
    expect(await store.get('p.a')).toMatchObject({
      claimId: 'c1',
      leaseUntil: T0 + 1000,
      claimCount: 1,
    });
  });

  it('gives a claim back when the claimed row cannot be read, naming what is missing', async () => {
    // A pending row written by something else, without the task token.
    await dynamo.client.send(
      new PutItemCommand({
        TableName: table,
        Item: { statementName: { S: 'p.bad' }, status: { S: 'SUBMITTED' } },
      }),
    );

    await expect(
      store.claim('p.bad', { claimId: 'c1', now: T0, leaseUntil: T0 + 1000 }),
    ).rejects.toThrow('tracking row p.bad has no taskToken');

    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: table, Key: { statementName: { S: 'p.bad' } } }),
    );
    expect(Item?.['claimId']).toBeUndefined();
    expect(Item?.['leaseUntil']).toBeUndefined();
  });

  it('lets a new claim take an expired lease and counts the claims', async () => {
    await store.register(newRecord('p.a'));
    await store.claim('p.a', { claimId: 'c1', now: T0, leaseUntil: T0 + 1000 });

    const taken = await store.claim('p.a', {
      claimId: 'c2',
      now: T0 + 1001,
      leaseUntil: T0 + 3000,
    });

    expect(taken).toMatchObject({ claimId: 'c2', claimCount: 2 });
    expect(await store.get('p.a')).toMatchObject({ claimId: 'c2', claimCount: 2 });
  });

  it('records the statement id on claim when the row has none, and refuses another id', async () => {
    await store.register(newRecord('p.a'));
    await store.register(newRecord('p.b'));
    await store.markSubmitted('p.b', 'sid-b', T0, 99);
    const claim = (name: string, statementId: string) =>
      store.claim(name, { claimId: 'c', now: T0, leaseUntil: T0 + 1, statementId });

    const results = [
      await claim('p.a', 'sid-a'),
      await claim('p.b', 'other'),
      await claim('p.b', 'sid-b'),
    ];

    expect(results.map((r) => r?.statementId)).toEqual(['sid-a', undefined, 'sid-b']);
    expect(await store.get('p.b')).toMatchObject({ statementId: 'sid-b', claimCount: 1 });
  });

  it('releases a claim only for its holder, so the row can be claimed again at once', async () => {
    await store.register(newRecord('p.a'));
    await store.claim('p.a', { claimId: 'c1', now: T0, leaseUntil: T0 + 1000 });

    expect(await store.releaseClaim('p.a', 'someone-else', T0 + 1)).toBe(false);
    expect(await store.releaseClaim('p.a', 'c1', T0 + 1)).toBe(true);
    expect(
      await store.claim('p.a', { claimId: 'c2', now: T0 + 2, leaseUntil: T0 + 1000 }),
    ).toMatchObject({ claimId: 'c2' });
  });

  it('finishes a pending row COMPLETED, dropping the claim and pending keys', async () => {
    await store.register(newRecord('p.a'));
    await store.markSubmitted('p.a', 'sid', T0 + 1, 99);
    await store.claim('p.a', { claimId: 'c1', now: T0 + 2, leaseUntil: T0 + 1000 });

    const finished = await store.finish('p.a', {
      status: 'COMPLETED',
      outcome: 'FINISHED via event; success',
      now: T0 + 3,
      expiresAt: 123,
    });

    expect(finished).toBe(true);
    expect(await store.get('p.a')).toEqual({
      statementName: 'p.a',
      taskToken: 'token-of-p.a',
      status: 'COMPLETED',
      request: newRecord('p.a').request,
      createdAt: T0,
      updatedAt: T0 + 3,
      expiresAt: 123,
      statementId: 'sid',
      outcome: 'FINISHED via event; success',
      claimCount: 1,
    });
    expect(await store.listPending('p.', T0 + 10_000, 10)).toEqual([]);
  });

  it('fails when finishing a row that is final already (COMPLETED then ORPHANED)', async () => {
    await store.register(newRecord('p.a'));
    await store.finish('p.a', { status: 'COMPLETED', outcome: 'x', now: T0, expiresAt: 1 });

    const second = await store.finish('p.a', {
      status: 'ORPHANED',
      outcome: 'y',
      now: T0,
      expiresAt: 1,
    });

    expect(second).toBe(false);
    expect((await store.get('p.a'))?.status).toBe('COMPLETED');
  });

  it('fails when claiming, marking or touching a final row', async () => {
    await store.register(newRecord('p.a'));
    await store.finish('p.a', { status: 'ORPHANED', outcome: 'x', now: T0, expiresAt: 1 });

    expect(await store.claim('p.a', { claimId: 'c', now: T0, leaseUntil: T0 + 1 })).toBeUndefined();
    expect(await store.markSubmitted('p.a', 'sid', T0, 1)).toBe(false);
    expect(await store.touchPending('p.a', T0)).toBe(false);
  });

  it('lets exactly one of two racing claims win', async () => {
    await store.register(newRecord('p.race'));
    await store.markSubmitted('p.race', 'sid', T0, 99);

    const results = await Promise.all(
      ['c1', 'c2', 'c3', 'c4'].map((claimId) =>
        store.claim('p.race', { claimId, now: T0 + 1, leaseUntil: T0 + 1000 }),
      ),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.get('p.race'))?.claimCount).toBe(1);
  });

  it('lists pending rows older than the cutoff, oldest first, up to the limit', async () => {
    await store.register(newRecord('p.c', { now: T0 + 30 }));
    await store.register(newRecord('p.a', { now: T0 + 10 }));
    await store.register(newRecord('p.b', { now: T0 + 20 }));
    await store.register(newRecord('p.late', { now: T0 + 100 }));
    await store.register(newRecord('p.done', { now: T0 }));
    await store.finish('p.done', { status: 'COMPLETED', outcome: 'x', now: T0, expiresAt: 1 });

    const all = await store.listPending('p.', T0 + 50, 10);
    const two = await store.listPending('p.', T0 + 50, 2);

    expect(all.map((row) => row.statementName)).toEqual(['p.a', 'p.b', 'p.c']);
    expect(two.map((row) => row.statementName)).toEqual(['p.a', 'p.b']);
  });

  it('moves a touched row to the back of the pending queue', async () => {
    await store.register(newRecord('p.a', { now: T0 + 10 }));
    await store.register(newRecord('p.b', { now: T0 + 20 }));

    expect(await store.touchPending('p.a', T0 + 30)).toBe(true);

    const pending = await store.listPending('p.', T0 + 50, 10);
    expect(pending.map((row) => row.statementName)).toEqual(['p.b', 'p.a']);
  });

  it('lists the rows of one execution, oldest first', async () => {
    await store.register(newRecord('p.2', { now: T0 + 2, executionArn: 'arn:e1' }));
    await store.register(newRecord('p.1', { now: T0 + 1, executionArn: 'arn:e1' }));
    await store.register(newRecord('p.x', { now: T0, executionArn: 'arn:e2' }));
    await store.register(newRecord('p.none', { now: T0 }));

    const rows = await store.listByExecution('arn:e1', 'p.');

    expect(rows.map((row) => row.statementName)).toEqual(['p.1', 'p.2']);
  });

  it('lists only the rows of its own tasker when taskers share the table', async () => {
    await store.register(newRecord('other.a', { now: T0 + 1, executionArn: 'arn:e1' }));
    await store.register(newRecord('other.b', { now: T0 + 2, executionArn: 'arn:e1' }));
    await store.register(newRecord('p.mine', { now: T0 + 3, executionArn: 'arn:e1' }));

    const pending = await store.listPending('p.', T0 + 50, 1);
    const byExecution = await store.listByExecution('arn:e1', 'p.');

    expect(pending.map((row) => row.statementName)).toEqual(['p.mine']);
    expect(byExecution.map((row) => row.statementName)).toEqual(['p.mine']);
  });
});
