import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataApiStatementApi } from '../../src/aws/data-api-statement-api.js';

/**
 * GetStatementResult through the real SDK client and its JSON parser, against a loopback
 * server answering the raw body a Redshift BIGINT column produces. The SDK parses numbers
 * as doubles, so without care 2^53 + 1 silently becomes 2^53 in the task output.
 */
describe('DataApiStatementApi BIGINT values', () => {
  let server: Server;
  let body = '';
  let api: DataApiStatementApi;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    api = new DataApiStatementApi(
      new RedshiftDataClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      }),
    );
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps every digit of a BIGINT beyond 2^53 by returning it as a string', async () => {
    body = JSON.stringify({
      ColumnMetadata: [
        { name: 'id', typeName: 'int8' },
        { name: 'n', typeName: 'int8' },
        { name: 'note', typeName: 'varchar' },
      ],
      TotalNumRows: 3,
    }).replace(
      /}$/,
      ',"Records":[' +
        '[{"longValue":9007199254740993},{"longValue":-1234567890123456789},{"stringValue":"{\\"longValue\\":9007199254740993}"}],' +
        '[{"longValue":9007199254740991},{"longValue":-9007199254740991},{"isNull":true}],' +
        '[ { "longValue" : 12 } , {"doubleValue":1e300},{"stringValue":"x"}]]}',
    );

    const page = await api.getResultPage('stmt-1');

    expect(page.records).toEqual([
      ['9007199254740993', '-1234567890123456789', '{"longValue":9007199254740993}'],
      [9007199254740991, -9007199254740991, null],
      [12, 1e300, 'x'],
    ]);
    expect(page.columns).toEqual([
      { name: 'id', typeName: 'int8' },
      { name: 'n', typeName: 'int8' },
      { name: 'note', typeName: 'varchar' },
    ]);
  });
});
