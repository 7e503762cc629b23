import { InvalidRequestError } from './errors.js';
import {
  MAX_BATCH_STATEMENTS,
  MAX_ITERATION_CHARS,
  MAX_SQL_BYTES,
  MAX_TASK_TOKEN_CHARS,
  MAX_WAIT_TIME_SECONDS,
  PARAMETER_NAME_PATTERN,
} from './limits.js';
import {
  Actions,
  ExecutionModes,
  PayloadFields,
  ResultModes,
  type Action,
  type ExecuteRequest,
  type ExecutionMode,
  type ResultMode,
  type SqlParameter,
  type StatementSpec,
  type TaskerRequest,
} from './payload.js';

const knownFields = new Set<string>(Object.values(PayloadFields));
const actions = new Set<string>(Object.values(Actions));
const resultModes = new Set<string>(Object.values(ResultModes));
const executionModes = new Set<string>(Object.values(ExecutionModes));

/** Fields each action may carry besides `action` itself. */
const fieldsByAction: Record<Action, ReadonlySet<string>> = {
  execute: new Set([
    PayloadFields.taskToken,
    PayloadFields.executionArn,
    PayloadFields.stateName,
    PayloadFields.iteration,
    PayloadFields.sqlStatement,
    PayloadFields.sqlStatements,
    PayloadFields.sqlParameters,
    PayloadFields.executionMode,
    PayloadFields.result,
    PayloadFields.fastPathSeconds,
  ]),
  cancel: new Set([
    PayloadFields.statementId,
    PayloadFields.executionArn,
    PayloadFields.taskToken,
    PayloadFields.stateName,
    PayloadFields.iteration,
  ]),
  describe: new Set([
    PayloadFields.statementId,
    PayloadFields.taskToken,
    PayloadFields.executionArn,
    PayloadFields.stateName,
  ]),
};

/** Collects every problem of a payload so one error names them all. */
class Problems {
  readonly list: string[] = [];
  add(field: string, message: string): void {
    this.list.push(`${field}: ${message}`);
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function optionalString(
  payload: Record<string, unknown>,
  field: string,
  problems: Problems,
  maxChars?: number,
): string | undefined {
  const value = payload[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    problems.add(field, `must be a string, got ${describeType(value)}`);
    return undefined;
  }
  if (value.trim() === '') {
    problems.add(field, 'must not be empty');
    return undefined;
  }
  if (maxChars !== undefined && value.length > maxChars) {
    problems.add(field, `is ${value.length} characters, over the limit of ${maxChars}`);
    return undefined;
  }
  return value;
}

/** `iteration`: a non-empty string or a whole number (a Map item index), as a string. */
function iterationOf(payload: Record<string, unknown>, problems: Problems): string | undefined {
  const value = payload[PayloadFields.iteration];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'number') {
    problems.add(
      PayloadFields.iteration,
      `must be a string or a whole number of 0 or more (e.g. the index of a Map item), got ${value}`,
    );
    return undefined;
  }
  return optionalString(payload, PayloadFields.iteration, problems, MAX_ITERATION_CHARS);
}

/** The task token, if any: every action may carry one (then it answers with SendTask*). */
function taskTokenOf(payload: Record<string, unknown>, problems: Problems): string | undefined {
  return optionalString(payload, PayloadFields.taskToken, problems, MAX_TASK_TOKEN_CHARS);
}

function checkSql(sql: unknown, field: string, problems: Problems): sql is string {
  if (typeof sql !== 'string') {
    problems.add(field, `must be a string of SQL, got ${describeType(sql)}`);
    return false;
  }
  if (sql.trim() === '') {
    problems.add(field, 'is empty: give the SQL to run');
    return false;
  }
  const bytes = Buffer.byteLength(sql, 'utf8');
  if (bytes > MAX_SQL_BYTES) {
    problems.add(
      field,
      `is ${bytes} bytes, over the Data API limit of ${MAX_SQL_BYTES} bytes: split it into several statements, or move the logic into a view or a stored procedure`,
    );
    return false;
  }
  return true;
}

function statementSpec(
  payload: Record<string, unknown>,
  problems: Problems,
): StatementSpec | undefined {
  const single = payload[PayloadFields.sqlStatement];
  const batch = payload[PayloadFields.sqlStatements];
  const mode = payload[PayloadFields.executionMode];
  if (single !== undefined && batch !== undefined) {
    problems.add(
      `${PayloadFields.sqlStatement}/${PayloadFields.sqlStatements}`,
      'give one of them, not both: sqlStatement runs one statement, sqlStatements runs a batch',
    );
    return undefined;
  }
  if (single === undefined && batch === undefined) {
    problems.add(
      PayloadFields.sqlStatement,
      'is missing: give sqlStatement (one statement) or sqlStatements (a batch)',
    );
    return undefined;
  }
  if (single !== undefined) {
    if (mode !== undefined) {
      problems.add(PayloadFields.executionMode, 'applies to sqlStatements (batches) only');
    }
    return checkSql(single, PayloadFields.sqlStatement, problems)
      ? { kind: 'single', sql: single }
      : undefined;
  }
  if (!Array.isArray(batch)) {
    problems.add(
      PayloadFields.sqlStatements,
      `must be an array of SQL strings, got ${describeType(batch)}`,
    );
    return undefined;
  }
  if (batch.length === 0 || batch.length > MAX_BATCH_STATEMENTS) {
    problems.add(
      PayloadFields.sqlStatements,
      `has ${batch.length} statements; a batch takes 1 to ${MAX_BATCH_STATEMENTS}`,
    );
    return undefined;
  }
  let ok = true;
  batch.forEach((sql, index) => {
    ok = checkSql(sql, `${PayloadFields.sqlStatements}[${index}]`, problems) && ok;
  });
  let executionMode: ExecutionMode = ExecutionModes.Transaction;
  if (mode !== undefined) {
    if (typeof mode !== 'string' || !executionModes.has(mode)) {
      problems.add(
        PayloadFields.executionMode,
        `must be one of ${[...executionModes].join(', ')}, got ${JSON.stringify(mode)}`,
      );
      ok = false;
    } else {
      executionMode = mode as ExecutionMode;
    }
  }
  return ok ? { kind: 'batch', sqls: batch as string[], executionMode } : undefined;
}

function sqlParameters(payload: Record<string, unknown>, problems: Problems): SqlParameter[] {
  const field = PayloadFields.sqlParameters;
  const raw = payload[field];
  if (raw === undefined) return [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.add(field, `must be an object of name to value, got ${describeType(raw)}`);
    return [];
  }
  const parameters: SqlParameter[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (!PARAMETER_NAME_PATTERN.test(name)) {
      problems.add(
        `${field}.${name}`,
        'is not a valid parameter name: use letters, digits and underscores only',
      );
      continue;
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      parameters.push({ name, value: String(value) });
    } else if (typeof value === 'boolean') {
      parameters.push({ name, value: String(value) });
    } else if (typeof value === 'string' && value !== '') {
      parameters.push({ name, value });
    } else if (value === '') {
      problems.add(
        `${field}.${name}`,
        'is an empty string, which the Data API refuses: write the literal in the SQL',
      );
    } else if (value === null) {
      problems.add(
        `${field}.${name}`,
        'is null, which the Data API cannot bind: write NULL in the SQL',
      );
    } else {
      problems.add(
        `${field}.${name}`,
        `must be a string, a finite number or a boolean, got ${describeType(value)}`,
      );
    }
  }
  return parameters;
}

function fastPathSeconds(payload: Record<string, unknown>, problems: Problems): number | undefined {
  const value = payload[PayloadFields.fastPathSeconds];
  if (value === undefined) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 0 ||
    value > MAX_WAIT_TIME_SECONDS
  ) {
    problems.add(
      PayloadFields.fastPathSeconds,
      `must be a whole number of seconds from 0 to ${MAX_WAIT_TIME_SECONDS}, got ${JSON.stringify(value)}`,
    );
    return undefined;
  }
  return value;
}

function resultMode(payload: Record<string, unknown>, problems: Problems): ResultMode {
  const value = payload[PayloadFields.result];
  if (value === undefined) return ResultModes.None;
  if (typeof value !== 'string' || !resultModes.has(value)) {
    problems.add(
      PayloadFields.result,
      `must be one of ${[...resultModes].join(', ')}, got ${JSON.stringify(value)}`,
    );
    return ResultModes.None;
  }
  return value as ResultMode;
}

function validateExecute(
  payload: Record<string, unknown>,
  problems: Problems,
): ExecuteRequest | undefined {
  const taskToken = taskTokenOf(payload, problems);
  const executionArn = optionalString(payload, PayloadFields.executionArn, problems);
  const stateName = optionalString(payload, PayloadFields.stateName, problems);
  const iteration = iterationOf(payload, problems);
  const statement = statementSpec(payload, problems);
  const parameters = sqlParameters(payload, problems);
  const mode = resultMode(payload, problems);
  const fastPath = fastPathSeconds(payload, problems);
  if (payload[PayloadFields.taskToken] === undefined) {
    // Without a token nobody waits for the statement: these fields would silently do nothing.
    if (payload[PayloadFields.result] !== undefined) {
      problems.add(
        PayloadFields.taskToken,
        'is missing: result needs a task (lambda:invoke.waitForTaskToken with "taskToken.$": "$$.Task.Token")',
      );
    }
    if (payload[PayloadFields.fastPathSeconds] !== undefined) {
      problems.add(
        PayloadFields.taskToken,
        'is missing: fastPathSeconds needs a task (lambda:invoke.waitForTaskToken with "taskToken.$": "$$.Task.Token")',
      );
    }
  }
  if (statement === undefined || problems.list.length > 0) return undefined;
  return {
    action: Actions.Execute,
    statement,
    parameters,
    resultMode: mode,
    ...(taskToken !== undefined && { taskToken }),
    ...(executionArn !== undefined && { executionArn }),
    ...(stateName !== undefined && { stateName }),
    ...(iteration !== undefined && { iteration }),
    ...(fastPath !== undefined && { fastPathSeconds: fastPath }),
  };
}

function validateCancel(
  payload: Record<string, unknown>,
  problems: Problems,
): TaskerRequest | undefined {
  const statementId = optionalString(payload, PayloadFields.statementId, problems);
  const executionArn = optionalString(payload, PayloadFields.executionArn, problems);
  const stateName = optionalString(payload, PayloadFields.stateName, problems);
  const iteration = iterationOf(payload, problems);
  const taskToken = taskTokenOf(payload, problems);
  if (statementId !== undefined && iteration !== undefined) {
    problems.add(
      PayloadFields.iteration,
      'only narrows a cancel by executionArn and stateName; a cancel by statementId stops that statement alone',
    );
  }
  if (iteration !== undefined && stateName === undefined) {
    problems.add(
      PayloadFields.stateName,
      'is missing: iteration names a run of one state, so give that state (stateName) too',
    );
  }
  if (problems.list.length > 0) return undefined;
  const reply = taskToken !== undefined ? { taskToken } : {};
  if (statementId !== undefined) return { action: Actions.Cancel, statementId, ...reply };
  if (executionArn !== undefined) {
    return {
      action: Actions.Cancel,
      executionArn,
      ...(stateName !== undefined && { stateName }),
      ...(iteration !== undefined && { iteration }),
      ...reply,
    };
  }
  problems.add(
    PayloadFields.statementId,
    'is missing: cancel needs statementId (one statement) or executionArn (every pending statement of that execution)',
  );
  return undefined;
}

function validateDescribe(
  payload: Record<string, unknown>,
  problems: Problems,
): TaskerRequest | undefined {
  const statementId = optionalString(payload, PayloadFields.statementId, problems);
  const taskToken = taskTokenOf(payload, problems);
  if (problems.list.length > 0) return undefined;
  if (statementId === undefined) {
    problems.add(PayloadFields.statementId, 'is missing: describe needs the statement id');
    return undefined;
  }
  return {
    action: Actions.Describe,
    statementId,
    ...(taskToken !== undefined && { taskToken }),
  };
}

/**
 * Checks a payload and returns the request it stands for, or throws `InvalidRequestError`
 * naming every field that is wrong and how to fix it. Never throws anything else.
 */
export function validateTaskerPayload(input: unknown): TaskerRequest {
  const problems = new Problems();
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidRequestError(
      `Invalid Stepshift payload: expected a JSON object such as {"sqlStatement": "...", "taskToken.$": "$$.Task.Token"}, got ${describeType(input)}`,
    );
  }
  const payload = input as Record<string, unknown>;
  const rawAction = payload[PayloadFields.action] ?? Actions.Execute;
  if (typeof rawAction !== 'string' || !actions.has(rawAction)) {
    throw new InvalidRequestError(
      `Invalid Stepshift payload: action: must be one of ${[...actions].join(', ')}, got ${JSON.stringify(rawAction)}`,
    );
  }
  const action = rawAction as Action;
  for (const field of Object.keys(payload)) {
    if (field === PayloadFields.action) continue;
    if (!knownFields.has(field)) {
      problems.add(
        field,
        `is not a Stepshift payload field (known: ${[...knownFields].join(', ')})`,
      );
    } else if (!fieldsByAction[action].has(field)) {
      problems.add(field, `does not apply to action '${action}'`);
    }
  }
  const validators: Record<Action, () => TaskerRequest | undefined> = {
    execute: () => validateExecute(payload, problems),
    cancel: () => validateCancel(payload, problems),
    describe: () => validateDescribe(payload, problems),
  };
  const request = validators[action]();
  if (request === undefined || problems.list.length > 0) {
    throw new InvalidRequestError(`Invalid Stepshift payload: ${problems.list.join('; ')}`);
  }
  return request;
}
