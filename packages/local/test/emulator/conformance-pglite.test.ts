import { startRedshiftDataEmulator } from '../../src/emulator/index.js';
import {
  conformanceSuite,
  SUITE_MAX_ACTIVE,
  SUITE_PAGE_ROWS,
} from './support/conformance-suite.js';

conformanceSuite('PGlite', () =>
  startRedshiftDataEmulator({
    resultPageRows: SUITE_PAGE_ROWS,
    maxActiveStatements: SUITE_MAX_ACTIVE,
    accountId: '123456789012',
    region: 'eu-west-1',
    principal: 'arn:aws:iam::123456789012:role/etl',
  }),
);
