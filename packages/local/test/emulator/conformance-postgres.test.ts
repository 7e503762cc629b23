import { afterAll, beforeAll, describe } from 'vitest';
import { startRedshiftDataEmulator } from '../../src/emulator/index.js';
import {
  conformanceSuite,
  SUITE_MAX_ACTIVE,
  SUITE_PAGE_ROWS,
} from './support/conformance-suite.js';
import { havePostgres, startPostgres, type PostgresServer } from './support/postgres-server.js';

if (!havePostgres)
  console.warn(
    'skipping the PostgreSQL conformance run: initdb/pg_ctl/postgres not found in /usr/local/bin',
  );

// Skips only when the PostgreSQL binaries are absent (reason printed above).
describe.skipIf(!havePostgres)('on a throwaway PostgreSQL server', () => {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  conformanceSuite('PostgreSQL', () =>
    startRedshiftDataEmulator({
      engine: (server as PostgresServer).connectionString,
      resultPageRows: SUITE_PAGE_ROWS,
      maxActiveStatements: SUITE_MAX_ACTIVE,
      accountId: '123456789012',
      region: 'eu-west-1',
      principal: 'arn:aws:iam::123456789012:role/etl',
    }),
  );
});
