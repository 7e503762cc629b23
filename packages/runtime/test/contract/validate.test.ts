import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ErrorNames,
  InvalidRequestError,
  MAX_BATCH_STATEMENTS,
  MAX_SQL_BYTES,
  PayloadFields,
  validateTaskerPayload,
} from '../../src/contract/index.js';

function errorOf(payload: unknown): InvalidRequestError {
  try {
    validateTaskerPayload(payload);
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error('expected the payload to be refused');
}

describe('validateTaskerPayload', () => {
  it('accepts the seed payload unchanged', () => {
    expect(
      validateTaskerPayload({
        taskToken: 'tok',
        executionArn: 'arn:exec',
        sqlStatement: 'select 1',
      }),
    ).toEqual({
      action: 'execute',
      statement: { kind: 'single', sql: 'select 1' },
      parameters: [],
      resultMode: 'none',
      taskToken: 'tok',
      executionArn: 'arn:exec',
    });
  });

  it('reads a batch with parameters, result rows and a fast-path override', () => {
    expect(
      validateTaskerPayload({
        taskToken: 'tok',
        stateName: 'Load',
        sqlStatements: ['insert into t values (:id)', 'select * from t'],
        sqlParameters: { id: 7, name: 'x', flag: true },
        executionMode: 'AUTO_COMMIT',
        result: 'rows',
        fastPathSeconds: 5,
      }),
    ).toEqual({
      action: 'execute',
      statement: {
        kind: 'batch',
        sqls: ['insert into t values (:id)', 'select * from t'],
        executionMode: 'AUTO_COMMIT',
      },
      parameters: [
        { name: 'id', value: '7' },
        { name: 'name', value: 'x' },
        { name: 'flag', value: 'true' },
      ],
      resultMode: 'rows',
      taskToken: 'tok',
      stateName: 'Load',
      fastPathSeconds: 5,
    });
  });

  it('runs a batch in one transaction by default', () => {
    const request = validateTaskerPayload({ sqlStatements: ['select 1'] });
    expect(request).toMatchObject({
      statement: { kind: 'batch', executionMode: 'TRANSACTION' },
    });
  });

  it('accepts a start without a task token (the polling use)', () => {
    expect(validateTaskerPayload({ sqlStatement: 'vacuum' })).toEqual({
      action: 'execute',
      statement: { kind: 'single', sql: 'vacuum' },
      parameters: [],
      resultMode: 'none',
    });
  });

  it('reads cancel by statement id, cancel by execution and describe', () => {
    expect(validateTaskerPayload({ action: 'cancel', statementId: 'abc' })).toEqual({
      action: 'cancel',
      statementId: 'abc',
    });
    expect(validateTaskerPayload({ action: 'cancel', executionArn: 'arn:exec' })).toEqual({
      action: 'cancel',
      executionArn: 'arn:exec',
    });
    expect(validateTaskerPayload({ action: 'describe', statementId: 'abc' })).toEqual({
      action: 'describe',
      statementId: 'abc',
    });
  });

  it('reads the iteration of a run (a Map index or a key) on execute and on cancel by state', () => {
    expect(
      validateTaskerPayload({ taskToken: 't', sqlStatement: 'select 1', iteration: 3 }),
    ).toMatchObject({ action: 'execute', iteration: '3' });
    expect(
      validateTaskerPayload({
        action: 'cancel',
        executionArn: 'arn:exec',
        stateName: 'Load',
        iteration: 'orders',
      }),
    ).toEqual({
      action: 'cancel',
      executionArn: 'arn:exec',
      stateName: 'Load',
      iteration: 'orders',
    });
  });

  it('fails when an iteration is not a key or a whole number, or cannot narrow the cancel', () => {
    expect(errorOf({ sqlStatement: 'x', iteration: -1 }).message).toBe(
      'Invalid Stepshift payload: iteration: must be a string or a whole number of 0 or more (e.g. the index of a Map item), got -1',
    );
    expect(errorOf({ sqlStatement: 'x', iteration: 'i'.repeat(257) }).message).toBe(
      'Invalid Stepshift payload: iteration: is 257 characters, over the limit of 256',
    );
    expect(errorOf({ action: 'cancel', executionArn: 'arn:exec', iteration: 1 }).message).toBe(
      'Invalid Stepshift payload: stateName: is missing: iteration names a run of one state, so give that state (stateName) too',
    );
    expect(
      errorOf({ action: 'cancel', statementId: 's', stateName: 'Load', iteration: 1 }).message,
    ).toBe(
      'Invalid Stepshift payload: iteration: only narrows a cancel by executionArn and stateName; a cancel by statementId stops that statement alone',
    );
  });

  it('fails when the SQL is over 100 KB, naming the field, the size and the fix', () => {
    const sql = `select '${'x'.repeat(MAX_SQL_BYTES)}'`;
    const error = errorOf({ taskToken: 't', sqlStatement: sql });
    expect(error.name).toBe(ErrorNames.InvalidRequest);
    expect(error.message).toBe(
      `Invalid Stepshift payload: sqlStatement: is ${MAX_SQL_BYTES + 9} bytes, over the Data API limit of ${MAX_SQL_BYTES} bytes: split it into several statements, or move the logic into a view or a stored procedure`,
    );
  });

  it('fails when the SQL limit is crossed by multi-byte characters', () => {
    const sql = 'é'.repeat(MAX_SQL_BYTES / 2 + 1);
    expect(errorOf({ sqlStatement: sql }).message).toContain(
      `sqlStatement: is ${MAX_SQL_BYTES + 2} bytes`,
    );
  });

  it('fails when both sqlStatement and sqlStatements are given', () => {
    expect(errorOf({ sqlStatement: 'a', sqlStatements: ['b'] }).message).toBe(
      'Invalid Stepshift payload: sqlStatement/sqlStatements: give one of them, not both: sqlStatement runs one statement, sqlStatements runs a batch',
    );
  });

  it('fails when the SQL is empty or missing', () => {
    expect(errorOf({ sqlStatement: '  ' }).message).toBe(
      'Invalid Stepshift payload: sqlStatement: is empty: give the SQL to run',
    );
    expect(errorOf({ taskToken: 't' }).message).toBe(
      'Invalid Stepshift payload: sqlStatement: is missing: give sqlStatement (one statement) or sqlStatements (a batch)',
    );
    expect(errorOf({ sqlStatements: ['select 1', ''] }).message).toBe(
      'Invalid Stepshift payload: sqlStatements[1]: is empty: give the SQL to run',
    );
  });

  it('fails when a batch is empty or over 40 statements', () => {
    expect(errorOf({ sqlStatements: [] }).message).toBe(
      `Invalid Stepshift payload: sqlStatements: has 0 statements; a batch takes 1 to ${MAX_BATCH_STATEMENTS}`,
    );
    const tooMany = Array.from({ length: MAX_BATCH_STATEMENTS + 1 }, () => 'select 1');
    expect(errorOf({ sqlStatements: tooMany }).message).toBe(
      `Invalid Stepshift payload: sqlStatements: has 41 statements; a batch takes 1 to ${MAX_BATCH_STATEMENTS}`,
    );
  });

  it('fails when a parameter name or value is not accepted by the Data API', () => {
    expect(
      errorOf({ sqlStatement: 'select :a', sqlParameters: { 'bad-name': 'x', a: '', b: null } })
        .message,
    ).toBe(
      'Invalid Stepshift payload: sqlParameters.bad-name: is not a valid parameter name: use letters, digits and underscores only; ' +
        'sqlParameters.a: is an empty string, which the Data API refuses: write the literal in the SQL; ' +
        'sqlParameters.b: is null, which the Data API cannot bind: write NULL in the SQL',
    );
    expect(errorOf({ sqlStatement: 'x', sqlParameters: ['a'] }).message).toBe(
      'Invalid Stepshift payload: sqlParameters: must be an object of name to value, got an array',
    );
  });

  it('fails when the action is unknown', () => {
    expect(errorOf({ action: 'run', sqlStatement: 'x' }).message).toBe(
      'Invalid Stepshift payload: action: must be one of execute, cancel, describe, got "run"',
    );
  });

  it('fails when a field is misspelt, listing the known fields', () => {
    expect(errorOf({ sqlStatment: 'select 1' }).message).toBe(
      `Invalid Stepshift payload: sqlStatment: is not a Stepshift payload field (known: ${Object.values(PayloadFields).join(', ')}); sqlStatement: is missing: give sqlStatement (one statement) or sqlStatements (a batch)`,
    );
  });

  it('fails when result or fastPathSeconds come without a task token', () => {
    expect(errorOf({ sqlStatement: 'x', result: 'rows', fastPathSeconds: 2 }).message).toBe(
      'Invalid Stepshift payload: taskToken: is missing: result needs a task (lambda:invoke.waitForTaskToken with "taskToken.$": "$$.Task.Token"); ' +
        'taskToken: is missing: fastPathSeconds needs a task (lambda:invoke.waitForTaskToken with "taskToken.$": "$$.Task.Token")',
    );
  });

  it('fails when fields have the wrong type or range', () => {
    expect(
      errorOf({ taskToken: 5, sqlStatement: 'x', result: 'all', fastPathSeconds: 31 }).message,
    ).toBe(
      'Invalid Stepshift payload: taskToken: must be a string, got a number; result: must be one of none, rows, got "all"; fastPathSeconds: must be a whole number of seconds from 0 to 30, got 31',
    );
    expect(errorOf({ sqlStatement: 'x', executionMode: 'TRANSACTION' }).message).toBe(
      'Invalid Stepshift payload: executionMode: applies to sqlStatements (batches) only',
    );
  });

  it('fails when a field does not apply to the action', () => {
    expect(errorOf({ action: 'cancel', statementId: 's', sqlStatement: 'x' }).message).toBe(
      "Invalid Stepshift payload: sqlStatement: does not apply to action 'cancel'",
    );
    expect(errorOf({ action: 'cancel' }).message).toBe(
      'Invalid Stepshift payload: statementId: is missing: cancel needs statementId (one statement) or executionArn (every pending statement of that execution)',
    );
    expect(errorOf({ action: 'describe' }).message).toBe(
      'Invalid Stepshift payload: statementId: is missing: describe needs the statement id',
    );
  });

  it('fails when the payload is not an object', () => {
    for (const payload of [null, 'select 1', 3, ['a']]) {
      expect(errorOf(payload).message).toMatch(
        /^Invalid Stepshift payload: expected a JSON object/,
      );
    }
  });

  describe('properties', () => {
    const anyJson = fc.jsonValue({ maxDepth: 3 });
    const fieldValue = fc.oneof(
      anyJson,
      fc.string(),
      fc.constantFrom('execute', 'cancel', 'describe', 'rows', 'none', 'TRANSACTION'),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
      fc.integer({ min: -5, max: 40 }),
    );
    const payloads = fc.oneof(
      anyJson,
      fc.dictionary(
        fc.oneof(fc.constantFrom(...Object.values(PayloadFields)), fc.string({ maxLength: 8 })),
        fieldValue,
        { maxKeys: 6 },
      ),
    );

    it('gives a valid request or the invalid-request error, never anything else', () => {
      fc.assert(
        fc.property(payloads, (payload) => {
          try {
            const request = validateTaskerPayload(payload);
            expect(['execute', 'cancel', 'describe']).toContain(request.action);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidRequestError);
            expect((error as Error).message).toMatch(/^Invalid Stepshift payload: ./);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('keeps every accepted SQL statement and parameter as given', () => {
      const sql = fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim() !== '');
      fc.assert(
        fc.property(
          fc.array(sql, { minLength: 1, maxLength: MAX_BATCH_STATEMENTS }),
          fc.dictionary(
            fc.stringMatching(/^[0-9a-zA-Z_]{1,10}$/),
            fc.string({ minLength: 1, maxLength: 10 }),
          ),
          (sqls, parameters) => {
            const request = validateTaskerPayload({
              sqlStatements: sqls,
              sqlParameters: parameters,
            });
            expect(request).toEqual({
              action: 'execute',
              statement: { kind: 'batch', sqls, executionMode: 'TRANSACTION' },
              parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
              resultMode: 'none',
            });
          },
        ),
      );
    });
  });
});
