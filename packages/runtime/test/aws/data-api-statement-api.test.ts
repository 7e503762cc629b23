import {
  ActiveSessionsExceededException,
  ActiveStatementsExceededException,
  ActiveWaitingRequestsExceededException,
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  InternalServerException,
  RedshiftDataClient,
  RedshiftDataServiceException,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DataApiStatementApi } from '../../src/aws/data-api-statement-api.js';
import type { DataApiTarget } from '../../src/aws/data-api-target.js';
import { fieldToJson } from '../../src/aws/field-values.js';

const client = new RedshiftDataClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const redshift = mockClient(client);

const cluster: DataApiTarget = {
  kind: 'cluster',
  clusterIdentifier: 'c1',
  database: 'dev',
  auth: { kind: 'dbUser', dbUser: 'etl' },
};

const meta = { $metadata: {} };

describe('DataApiStatementApi', () => {
  beforeEach(() => {
    redshift.reset();
  });

  it('sends ExecuteStatement with the target, name, WithEvent, ClientToken, parameters and wait', async () => {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'id-1', Status: 'FINISHED' });
    const api = new DataApiStatementApi(client, cluster);

    const result = await api.execute({
      statementName: 'p.n',
      clientToken: 'ct',
      statement: { kind: 'single', sql: 'select :id' },
      parameters: [{ name: 'id', value: '7' }],
      waitTimeSeconds: 5,
    });

    expect(result).toEqual({ statementId: 'id-1', status: 'FINISHED' });
    expect(redshift.commandCalls(ExecuteStatementCommand)[0]?.args[0].input).toEqual({
      ClusterIdentifier: 'c1',
      Database: 'dev',
      DbUser: 'etl',
      StatementName: 'p.n',
      WithEvent: true,
      ClientToken: 'ct',
      Parameters: [{ name: 'id', value: '7' }],
      WaitTimeSeconds: 5,
      Sql: 'select :id',
    });
  });

  it.each<[string, DataApiTarget, Record<string, string>]>([
    [
      'cluster + secret',
      {
        kind: 'cluster',
        clusterIdentifier: 'c1',
        database: 'dev',
        auth: { kind: 'secret', secretArn: 'arn:s' },
      },
      { ClusterIdentifier: 'c1', Database: 'dev', SecretArn: 'arn:s' },
    ],
    [
      'cluster + IAM',
      { kind: 'cluster', clusterIdentifier: 'c1', database: 'dev', auth: { kind: 'iam' } },
      { ClusterIdentifier: 'c1', Database: 'dev' },
    ],
    [
      'workgroup + secret',
      {
        kind: 'workgroup',
        workgroupName: 'wg',
        database: 'dev',
        auth: { kind: 'secret', secretArn: 'arn:s' },
      },
      { WorkgroupName: 'wg', Database: 'dev', SecretArn: 'arn:s' },
    ],
    [
      'workgroup + IAM',
      { kind: 'workgroup', workgroupName: 'wg', database: 'dev', auth: { kind: 'iam' } },
      { WorkgroupName: 'wg', Database: 'dev' },
    ],
  ])('sends BatchExecuteStatement for %s', async (_label, target, expected) => {
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'id-2' });
    const api = new DataApiStatementApi(client, target);

    await api.execute({
      statementName: 'p.n',
      statement: { kind: 'batch', sqls: ['a', 'b'], executionMode: 'AUTO_COMMIT' },
      parameters: [],
    });

    expect(redshift.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input).toEqual({
      ...expected,
      StatementName: 'p.n',
      WithEvent: true,
      Sqls: ['a', 'b'],
      ExecutionMode: 'AUTO_COMMIT',
    });
  });

  it.each([
    [
      'ThrottlingException',
      new RedshiftDataServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    ],
    [
      'ActiveStatementsExceededException',
      new ActiveStatementsExceededException({ message: 'Active statements exceeded', ...meta }),
    ],
    [
      'ActiveSessionsExceededException',
      new ActiveSessionsExceededException({ message: 'too many sessions', ...meta }),
    ],
    [
      'ActiveWaitingRequestsExceededException',
      new ActiveWaitingRequestsExceededException({ message: 'too many waiters', ...meta }),
    ],
    [
      'InternalServerException',
      new InternalServerException({ message: 'oops', Message: 'oops', ...meta }),
    ],
  ])('fails when ExecuteStatement gets %s, with Stepshift.DataApiCapacity', async (code, error) => {
    redshift.on(ExecuteStatementCommand).rejects(error);
    const api = new DataApiStatementApi(client, cluster);

    const failure = api.execute({
      statementName: 'p.n',
      statement: { kind: 'single', sql: 'select 1' },
      parameters: [],
    });

    await expect(failure).rejects.toMatchObject({
      name: 'Stepshift.DataApiCapacity',
      message: expect.stringContaining(`ExecuteStatement refused for capacity (${code})`) as string,
    });
  });

  it('fails when the request is refused, with RedshiftData.ValidationException', async () => {
    redshift
      .on(DescribeStatementCommand)
      .rejects(new ValidationException({ message: 'Query does not exist.', ...meta }));
    const api = new DataApiStatementApi(client, cluster);

    await expect(api.describe('nope')).rejects.toMatchObject({
      name: 'RedshiftData.ValidationException',
      code: 'ValidationException',
      message:
        'Redshift Data API DescribeStatement refused the request (ValidationException): Query does not exist.',
    });
  });

  it('fails when the network fails, with the error unchanged (outcome unknown)', async () => {
    const error = new Error('socket hang up');
    redshift.on(ExecuteStatementCommand).rejects(error);
    const api = new DataApiStatementApi(client, cluster);

    await expect(
      api.execute({ statementName: 'p', statement: { kind: 'single', sql: 's' }, parameters: [] }),
    ).rejects.toBe(error);
  });

  it('fails when asked to start without a target', async () => {
    const api = new DataApiStatementApi(client);

    await expect(
      api.execute({ statementName: 'p', statement: { kind: 'single', sql: 's' }, parameters: [] }),
    ).rejects.toMatchObject({ name: 'Stepshift.Configuration' });
  });

  it('maps DescribeStatement, sub-statements included', async () => {
    redshift.on(DescribeStatementCommand).resolves({
      Id: 'id-1',
      Status: 'FAILED',
      Error: 'ERROR: boom',
      Duration: 2_000_000,
      CreatedAt: new Date('2026-01-01T00:00:00Z'),
      HasResultSet: false,
      ResultRows: -1,
      QueryString: 'secret sql',
      QueryParameters: [{ name: 'p', value: 'secret value' }],
      SubStatements: [
        { Id: 'id-1:1', Status: 'FINISHED', Duration: 1_000_000, ResultRows: 2 },
        { Id: 'id-1:2', Status: 'FAILED', Error: 'ERROR: boom', HasResultSet: false },
      ],
    });
    const api = new DataApiStatementApi(client, cluster);

    expect(await api.describe('id-1')).toEqual({
      id: 'id-1',
      status: 'FAILED',
      error: 'ERROR: boom',
      durationNanos: 2_000_000,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      hasResultSet: false,
      resultRows: -1,
      subStatements: [
        { id: 'id-1:1', status: 'FINISHED', durationNanos: 1_000_000, resultRows: 2 },
        { id: 'id-1:2', status: 'FAILED', error: 'ERROR: boom', hasResultSet: false },
      ],
    });
  });

  it('reads a result page with typed values converted to JSON', async () => {
    redshift.on(GetStatementResultCommand).resolves({
      ColumnMetadata: [
        { name: 'n', typeName: 'int8' },
        { name: 'x', label: 'ratio', typeName: 'float8' },
        { name: 's', typeName: 'varchar' },
        { name: 'b', typeName: 'bool' },
        { name: 'z', typeName: 'varchar' },
        { name: 'blob', typeName: 'varbyte' },
        { typeName: 'numeric' },
      ],
      Records: [
        [
          { longValue: 9007199254740991 },
          { doubleValue: 0.5 },
          { stringValue: 'héllo' },
          { booleanValue: false },
          { isNull: true },
          { blobValue: new Uint8Array([1, 2, 3]) },
          { stringValue: '12345678901234567890.12' },
        ],
      ],
      TotalNumRows: 9,
      NextToken: 'next',
    });
    const api = new DataApiStatementApi(client);

    const page = await api.getResultPage('id-1', 'prev');

    expect(redshift.commandCalls(GetStatementResultCommand)[0]?.args[0].input).toEqual({
      Id: 'id-1',
      NextToken: 'prev',
    });
    expect(page).toEqual({
      columns: [
        { name: 'n', typeName: 'int8' },
        { name: 'ratio', typeName: 'float8' },
        { name: 's', typeName: 'varchar' },
        { name: 'b', typeName: 'bool' },
        { name: 'z', typeName: 'varchar' },
        { name: 'blob', typeName: 'varbyte' },
        { name: 'column7', typeName: 'numeric' },
      ],
      records: [[9007199254740991, 0.5, 'héllo', false, null, 'AQID', '12345678901234567890.12']],
      totalNumRows: 9,
      nextToken: 'next',
    });
  });

  it('cancels and reports whether Redshift accepted', async () => {
    redshift.on(CancelStatementCommand).resolves({ Status: true });
    const api = new DataApiStatementApi(client);

    expect(await api.cancel('id-1')).toBe(true);
  });
});

describe('fieldToJson', () => {
  it('turns non-finite doubles into strings (JSON has no NaN)', () => {
    expect(fieldToJson({ doubleValue: Number.NaN })).toBe('NaN');
    expect(fieldToJson({ doubleValue: Number.POSITIVE_INFINITY })).toBe('Infinity');
  });
});
