import { describe, expect, it } from 'vitest';
import { coreConfigOf, handlerConfigFromEnv } from '../../src/handlers/handler-config.js';

const base = {
  STEPSHIFT_TABLE_NAME: 'tracking',
  STEPSHIFT_STATEMENT_PREFIX: 'stepshift.etl.',
  STEPSHIFT_WORKGROUP_NAME: 'wg',
  STEPSHIFT_DATABASE: 'dev',
};

describe('handlerConfigFromEnv', () => {
  it('reads the table, prefix, target, timings and log level', () => {
    expect(
      handlerConfigFromEnv(
        {
          ...base,
          STEPSHIFT_FAST_PATH_SECONDS: '3',
          STEPSHIFT_RECONCILE_GRACE_SECONDS: '60',
          STEPSHIFT_TRACKING_RETENTION_SECONDS: '86400',
          STEPSHIFT_LOG_LEVEL: 'debug',
        },
        { needsTarget: true },
      ),
    ).toEqual({
      tableName: 'tracking',
      statementPrefix: 'stepshift.etl.',
      target: { kind: 'workgroup', workgroupName: 'wg', database: 'dev', auth: { kind: 'iam' } },
      fastPathSeconds: 3,
      reconcileGraceSeconds: 60,
      trackingRetentionSeconds: 86400,
      logLevel: 'DEBUG',
    });
  });

  it('skips the target for handlers that never start statements', () => {
    expect(
      handlerConfigFromEnv(
        { STEPSHIFT_TABLE_NAME: 't', STEPSHIFT_STATEMENT_PREFIX: 'p.' },
        { needsTarget: false },
      ),
    ).toEqual({ tableName: 't', statementPrefix: 'p.', logLevel: 'INFO' });
  });

  it('fails when the table name is missing, naming the variable', () => {
    expect(() =>
      handlerConfigFromEnv({ STEPSHIFT_STATEMENT_PREFIX: 'p.' }, { needsTarget: false }),
    ).toThrow('STEPSHIFT_TABLE_NAME is not set: the construct sets it on every handler');
  });

  it('fails when the fast path is over 30 seconds or not a whole number', () => {
    expect(() =>
      handlerConfigFromEnv({ ...base, STEPSHIFT_FAST_PATH_SECONDS: '31' }, { needsTarget: false }),
    ).toThrow('STEPSHIFT_FAST_PATH_SECONDS is "31": give a whole number of seconds from 0 to 30');
    expect(() =>
      handlerConfigFromEnv(
        { ...base, STEPSHIFT_RECONCILE_GRACE_SECONDS: '1.5' },
        { needsTarget: false },
      ),
    ).toThrow('STEPSHIFT_RECONCILE_GRACE_SECONDS is "1.5"');
  });
});

describe('coreConfigOf', () => {
  it('fills in the defaults', () => {
    expect(coreConfigOf({ tableName: 't', statementPrefix: 'p.' })).toEqual({
      statementPrefix: 'p.',
      fastPathSeconds: 0,
      reconcileGraceSeconds: 120,
      trackingRetentionSeconds: 604800,
      claimLeaseSeconds: 300,
      reconcileBatchSize: 100,
    });
  });

  it('fails when the statement prefix has characters EventBridge prefixes should not carry', () => {
    expect(() => coreConfigOf({ tableName: 't', statementPrefix: 'bad prefix' })).toThrow(
      'statement prefix "bad prefix" is invalid: use 1-100 letters, digits and _ . : -',
    );
  });
});
