import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clientTokenForToken,
  MAX_CLIENT_TOKEN_CHARS,
  MAX_STATEMENT_NAME_CHARS,
  MAX_TASK_TOKEN_CHARS,
  statementNameForRun,
  statementNameForToken,
  statementPrefixIsValid,
  taskerStatementPrefix,
} from '../../src/contract/index.js';

describe('statement naming', () => {
  it('derives the name and the client token from the task token (sha256)', () => {
    const prefix = taskerStatementPrefix('etl');
    expect(prefix).toBe('stepshift.etl.');
    expect(statementNameForToken(prefix, 'token-1')).toBe(
      'stepshift.etl.3f08aace122ee2368432c1ca23a049bc640bafbf00fdf33a52429f38ba12dbf9',
    );
    expect(clientTokenForToken('token-1')).toBe(
      '21572c9a7d1509a6d7b0b050e28344452b0b29057ff88ab50449c40e714877d2',
    );
  });

  it('gives each run without a token its own name under the prefix', () => {
    const first = statementNameForRun('stepshift.etl.');
    const second = statementNameForRun('stepshift.etl.');
    expect(first).toMatch(/^stepshift\.etl\.run-[0-9a-f-]{36}$/);
    expect(first).not.toBe(second);
  });

  it('fails when a tasker id makes an invalid prefix', () => {
    expect(() => taskerStatementPrefix('my tasker')).toThrow(
      "tasker id 'my tasker' makes an invalid statement prefix: use letters, digits and _ . : - (at most 89 characters)",
    );
    expect(statementPrefixIsValid('')).toBe(false);
    expect(statementPrefixIsValid('a'.repeat(101))).toBe(false);
  });

  it('keeps names under 500 characters and client tokens within 1-64 for any token', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: MAX_TASK_TOKEN_CHARS }),
        fc.stringMatching(/^[A-Za-z0-9_.:-]{1,100}$/),
        (token, prefix) => {
          const name = statementNameForToken(prefix, token);
          expect(name.startsWith(prefix)).toBe(true);
          expect(name.length).toBeLessThan(MAX_STATEMENT_NAME_CHARS);
          const clientToken = clientTokenForToken(token);
          expect(clientToken.length).toBeGreaterThan(0);
          expect(clientToken.length).toBeLessThanOrEqual(MAX_CLIENT_TOKEN_CHARS);
        },
      ),
    );
  });
});
