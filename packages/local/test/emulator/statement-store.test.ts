import { parseCompletionEvent } from '@stepshift/runtime';
import { describe, expect, it } from 'vitest';
import { completionEvent } from '../../src/emulator/completion-event.js';
import { ResourceNotFoundException } from '../../src/emulator/errors.js';
import { newStatement, type Statement } from '../../src/emulator/statement.js';
import { StatementStore } from '../../src/emulator/statement-store.js';
import type { ResolvedTarget } from '../../src/emulator/target.js';

const target: ResolvedTarget = {
  kind: 'cluster',
  name: 'c',
  database: 'dev',
  dbUser: undefined,
  secretArn: undefined,
  arn: 'arn:aws:redshift:us-east-1:000000000000:cluster:c',
  databaseKey: 'dev',
};

function statement(id: string, createdAt: Date): Statement {
  return newStatement({
    id,
    target,
    queryString: 'SELECT 1',
    parameters: [],
    statementName: undefined,
    withEvent: false,
    resultFormat: 'JSON',
    createdAt,
    subStatements: [],
    isBatch: false,
    executionMode: undefined,
    sessionId: undefined,
  });
}

describe('StatementStore', () => {
  it('forgets ended statements older than the retention, keeping running ones', () => {
    const store = new StatementStore(60_000);
    const old = statement('old', new Date(Date.now() - 120_000));
    old.status = 'FINISHED';
    const running = statement('running', new Date(Date.now() - 120_000));
    running.status = 'STARTED';
    const fresh = statement('fresh', new Date());
    store.add(old, undefined);
    store.add(running, undefined);
    store.add(fresh, undefined);
    expect(store.list().map((s) => s.id)).toEqual(['fresh', 'running']);
    expect(() => store.get('old')).toThrow(ResourceNotFoundException);
  });

  it('fails when a sub-statement index is not a positive number', () => {
    const store = new StatementStore(60_000);
    store.add(statement('batch', new Date()), undefined);
    expect(() => store.get('batch:0')).toThrow('Query does not exist.');
  });

  it('counts active statements until they end', async () => {
    const store = new StatementStore(60_000);
    const s = statement('a', new Date());
    store.add(s, 'token');
    expect(store.activeCount()).toBe(1);
    expect(store.byClientToken('token')?.id).toBe('a');
    s.markDone();
    await s.done;
    expect(store.activeCount()).toBe(0);
  });
});

describe('completion event', () => {
  it('is read by the runtime completer parser', () => {
    const event = completionEvent({
      account: '123456789012',
      region: 'us-east-1',
      resource: target.arn,
      principal: 'arn:aws:iam::123456789012:role/r',
      statementName: 'stepshift.t.abc',
      statementId: 'id-1',
      redshiftQueryId: 7,
      state: 'FAILED',
      rows: 0,
      expireAt: new Date('2030-01-02T03:04:05Z'),
      time: new Date('2030-01-01T03:04:05.678Z'),
    });
    expect(event.time).toBe('2030-01-01T03:04:05Z');
    expect(parseCompletionEvent(event)).toEqual({
      ok: true,
      event: {
        statementId: 'id-1',
        statementName: 'stepshift.t.abc',
        state: 'FAILED',
        rows: 0,
        expireAt: '2030-01-02T03:04:05.000Z',
        principal: 'arn:aws:iam::123456789012:role/r',
        redshiftQueryId: 7,
        resource: target.arn,
        time: '2030-01-01T03:04:05Z',
      },
    });
  });
});
