import { describe, expect, it } from 'vitest';
import { dataApiTargetFromEnv } from '../../src/aws/data-api-target.js';

describe('dataApiTargetFromEnv', () => {
  it.each([
    [
      { STEPSHIFT_CLUSTER_IDENTIFIER: 'c1', STEPSHIFT_DATABASE: 'dev', STEPSHIFT_DB_USER: 'etl' },
      {
        kind: 'cluster',
        clusterIdentifier: 'c1',
        database: 'dev',
        auth: { kind: 'dbUser', dbUser: 'etl' },
      },
    ],
    [
      {
        STEPSHIFT_CLUSTER_IDENTIFIER: 'c1',
        STEPSHIFT_DATABASE: 'dev',
        STEPSHIFT_SECRET_ARN: 'arn:s',
      },
      {
        kind: 'cluster',
        clusterIdentifier: 'c1',
        database: 'dev',
        auth: { kind: 'secret', secretArn: 'arn:s' },
      },
    ],
    [
      { STEPSHIFT_CLUSTER_IDENTIFIER: 'c1', STEPSHIFT_DATABASE: 'dev' },
      { kind: 'cluster', clusterIdentifier: 'c1', database: 'dev', auth: { kind: 'iam' } },
    ],
    [
      { STEPSHIFT_WORKGROUP_NAME: 'wg', STEPSHIFT_DATABASE: 'dev', STEPSHIFT_SECRET_ARN: 'arn:s' },
      {
        kind: 'workgroup',
        workgroupName: 'wg',
        database: 'dev',
        auth: { kind: 'secret', secretArn: 'arn:s' },
      },
    ],
    [
      { STEPSHIFT_WORKGROUP_NAME: 'wg', STEPSHIFT_DATABASE: 'dev', STEPSHIFT_DB_USER: '' },
      { kind: 'workgroup', workgroupName: 'wg', database: 'dev', auth: { kind: 'iam' } },
    ],
  ])('reads %o', (env, expected) => {
    expect(dataApiTargetFromEnv(env)).toEqual(expected);
  });

  it('fails when both or neither of cluster and workgroup are set, naming the variables', () => {
    expect(() => dataApiTargetFromEnv({ STEPSHIFT_DATABASE: 'dev' })).toThrow(
      'Invalid Data API target: set exactly one of STEPSHIFT_CLUSTER_IDENTIFIER (provisioned cluster) or STEPSHIFT_WORKGROUP_NAME (Redshift Serverless)',
    );
    expect(() =>
      dataApiTargetFromEnv({
        STEPSHIFT_CLUSTER_IDENTIFIER: 'c',
        STEPSHIFT_WORKGROUP_NAME: 'w',
        STEPSHIFT_DATABASE: 'dev',
      }),
    ).toThrow('set exactly one of');
  });

  it('fails when the database is missing, when DbUser and SecretArn are both set, and for DbUser with a workgroup', () => {
    expect(() => dataApiTargetFromEnv({ STEPSHIFT_CLUSTER_IDENTIFIER: 'c' })).toThrow(
      'Invalid Data API target: STEPSHIFT_DATABASE is required',
    );
    expect(() =>
      dataApiTargetFromEnv({
        STEPSHIFT_CLUSTER_IDENTIFIER: 'c',
        STEPSHIFT_DATABASE: 'dev',
        STEPSHIFT_DB_USER: 'u',
        STEPSHIFT_SECRET_ARN: 's',
      }),
    ).toThrow(
      'set at most one of STEPSHIFT_DB_USER (temporary credentials) or STEPSHIFT_SECRET_ARN',
    );
    expect(() =>
      dataApiTargetFromEnv({
        STEPSHIFT_WORKGROUP_NAME: 'w',
        STEPSHIFT_DATABASE: 'dev',
        STEPSHIFT_DB_USER: 'u',
      }),
    ).toThrow('STEPSHIFT_DB_USER applies to provisioned clusters only');
  });
});
