import { randomUUID } from 'node:crypto';
import {
  MAX_BATCH_STATEMENTS,
  MAX_CLIENT_TOKEN_CHARS,
  MAX_SQL_BYTES,
  MAX_WAIT_TIME_SECONDS,
} from '@stepshift/runtime/contract';
import type { CatalogQueries } from './catalog.js';
import {
  MAX_SESSION_KEEP_ALIVE_SECONDS,
  type DataApiSession,
  type SessionRegistry,
} from './data-api-session.js';
import {
  ActiveStatementsExceededException,
  ResourceNotFoundException,
  ValidationException,
} from './errors.js';
import { MAX_LIST_RESULTS, MAX_STATEMENT_NAME_MODEL_CHARS } from './limits.js';
import { validateParameters } from './parameters.js';
import { prepareSql, type PreparedSql } from './prepared-sql.js';
import { columnMetadata, csvValue, toField } from './result-types.js';
import {
  durationNanos,
  END_STATUSES,
  hasResultSet,
  newStatement,
  resultRows,
  resultSize,
  type ExecutionMode,
  type ResultFormat,
  type Statement,
} from './statement.js';
import type { StatementRunner } from './statement-runner.js';
import type { StatementStore } from './statement-store.js';
import type { ResolvedTarget, TargetResolver } from './target.js';
import {
  decodeToken,
  encodeToken,
  epochSeconds,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalString,
  requiredString,
  type WireInput,
} from './wire-input.js';

export type WireOutput = Record<string, unknown>;
export type Operation = (input: WireInput) => Promise<WireOutput>;

export interface DataApiOptions {
  readonly store: StatementStore;
  readonly sessions: SessionRegistry;
  readonly runner: StatementRunner;
  readonly targets: TargetResolver;
  readonly catalog: CatalogQueries;
  readonly pageRows: number;
  readonly maxActiveStatements: number;
}

const STATUSES = [
  'SUBMITTED',
  'PICKED',
  'STARTED',
  'FINISHED',
  'ABORTED',
  'FAILED',
  'ALL',
] as const;

/** The Data API operations, each taking and returning the awsJson1_1 body. */
export class DataApi {
  readonly operations: Readonly<Record<string, Operation>>;

  constructor(private readonly o: DataApiOptions) {
    this.operations = {
      ExecuteStatement: (i) => this.executeStatement(i),
      BatchExecuteStatement: (i) => this.batchExecuteStatement(i),
      DescribeStatement: (i) => this.describeStatement(i),
      CancelStatement: (i) => this.cancelStatement(i),
      GetStatementResult: (i) => this.getStatementResult(i, 'JSON'),
      GetStatementResultV2: (i) => this.getStatementResult(i, 'CSV'),
      ListStatements: (i) => this.listStatements(i),
      ListDatabases: (i) => this.listDatabases(i),
      ListSchemas: (i) => this.listSchemas(i),
      ListTables: (i) => this.listTables(i),
      DescribeTable: (i) => this.describeTable(i),
      ListSessions: (i) => this.listSessions(i),
    };
  }

  private async executeStatement(input: WireInput): Promise<WireOutput> {
    const sql = requiredString(input, 'Sql');
    checkSqlSize(sql);
    return this.submit(input, [sql], false);
  }

  private async batchExecuteStatement(input: WireInput): Promise<WireOutput> {
    const sqls = input['Sqls'];
    if (!Array.isArray(sqls) || sqls.length === 0 || sqls.length > MAX_BATCH_STATEMENTS) {
      throw new ValidationException(
        `Sqls must be a list of 1 to ${MAX_BATCH_STATEMENTS} SQL statements.`,
      );
    }
    sqls.forEach((s: unknown, i) => {
      if (typeof s !== 'string' || s.length === 0)
        throw new ValidationException(`Sqls[${i}] must be a non-empty string.`);
      checkSqlSize(s);
    });
    return this.submit(input, sqls as string[], true);
  }

  private async submit(
    input: WireInput,
    sqls: readonly string[],
    isBatch: boolean,
  ): Promise<WireOutput> {
    const sessionId = optionalString(input, 'SessionId');
    const keepAlive = optionalInteger(
      input,
      'SessionKeepAliveSeconds',
      0,
      MAX_SESSION_KEEP_ALIVE_SECONDS,
    );
    let session: DataApiSession | undefined;
    let target: ResolvedTarget;
    if (sessionId !== undefined) {
      if (input['ClusterIdentifier'] !== undefined || input['WorkgroupName'] !== undefined) {
        throw new ValidationException(
          'Exactly one of ClusterIdentifier, WorkgroupName or SessionId must be specified.',
        );
      }
      session = this.o.sessions.available(sessionId);
      target = session.target;
    } else {
      target = this.o.targets.resolve(input);
    }
    const parameters = validateParameters(input['Parameters']);
    const statementName = optionalString(input, 'StatementName');
    if (statementName !== undefined && statementName.length > MAX_STATEMENT_NAME_MODEL_CHARS) {
      throw new ValidationException(
        `StatementName is longer than ${MAX_STATEMENT_NAME_MODEL_CHARS} characters.`,
      );
    }
    const clientToken = optionalString(input, 'ClientToken');
    if (
      clientToken !== undefined &&
      (clientToken.length === 0 || clientToken.length > MAX_CLIENT_TOKEN_CHARS)
    ) {
      throw new ValidationException(
        `ClientToken must be 1 to ${MAX_CLIENT_TOKEN_CHARS} characters.`,
      );
    }
    const withEvent = optionalBoolean(input, 'WithEvent') ?? false;
    const resultFormat =
      optionalEnum<ResultFormat>(input, 'ResultFormat', ['JSON', 'CSV']) ?? 'JSON';
    const executionMode = isBatch
      ? (optionalEnum<ExecutionMode>(input, 'ExecutionMode', ['TRANSACTION', 'AUTO_COMMIT']) ??
        'TRANSACTION')
      : undefined;
    const wait = optionalInteger(input, 'WaitTimeSeconds', 0, MAX_WAIT_TIME_SECONDS);

    if (clientToken !== undefined) {
      const earlier = this.o.store.byClientToken(clientToken);
      if (earlier !== undefined) return this.submitOutput(earlier, wait);
    }
    if (this.o.store.activeCount() >= this.o.maxActiveStatements) {
      throw new ActiveStatementsExceededException(
        `Active statements exceeded the allowed quota (${this.o.maxActiveStatements}).`,
      );
    }
    const prepared: PreparedSql[] = sqls.map((sql) => prepareSql(sql, parameters));
    if (session === undefined && keepAlive !== undefined && keepAlive > 0) {
      session = await this.o.sessions.create(target, keepAlive);
    }
    const id = randomUUID();
    const createdAt = new Date();
    const common = {
      target,
      parameters,
      statementName,
      withEvent,
      resultFormat,
      createdAt,
      sessionId: session?.id,
    };
    const subStatements = isBatch
      ? sqls.map((sql, i) =>
          newStatement({
            ...common,
            id: `${id}:${i + 1}`,
            queryString: sql,
            withEvent: false,
            subStatements: [],
            isBatch: false,
            executionMode: undefined,
          }),
        )
      : [];
    const statement = newStatement({
      ...common,
      id,
      queryString: isBatch ? sqls.join('; ') : (sqls[0] as string),
      subStatements,
      isBatch,
      executionMode,
    });
    this.o.store.add(statement, clientToken);
    if (session !== undefined) this.o.sessions.use(session, id, statement.done, keepAlive);
    this.o.runner.start(statement, prepared, session?.engineSession);
    return this.submitOutput(statement, wait);
  }

  private async submitOutput(statement: Statement, wait: number | undefined): Promise<WireOutput> {
    const output: WireOutput = {
      Id: statement.id,
      CreatedAt: epochSeconds(statement.createdAt),
      ...targetOutput(statement.target),
    };
    if (statement.sessionId !== undefined) output['SessionId'] = statement.sessionId;
    if (wait !== undefined && wait > 0) {
      await waitFor(statement, wait);
      output['Status'] = statement.status;
      output['RedshiftPid'] = statement.redshiftPid;
      output['HasResultSet'] = hasResultSet(statement);
    }
    return output;
  }

  private async describeStatement(input: WireInput): Promise<WireOutput> {
    const statement = this.o.store.get(requiredString(input, 'Id'));
    const wait = optionalInteger(input, 'WaitTimeSeconds', 0, MAX_WAIT_TIME_SECONDS);
    if (wait !== undefined && wait > 0) await waitFor(statement, wait);
    const output: WireOutput = {
      ...describeCommon(statement),
      RedshiftPid: statement.redshiftPid,
      ...targetOutput(statement.target),
      ResultFormat: statement.resultFormat,
    };
    if (statement.parameters.length > 0) output['QueryParameters'] = statement.parameters;
    if (statement.sessionId !== undefined) output['SessionId'] = statement.sessionId;
    if (statement.isBatch) {
      output['SubStatements'] = statement.subStatements.map(describeCommon);
      output['ExecutionMode'] = statement.executionMode;
    }
    return output;
  }

  private async cancelStatement(input: WireInput): Promise<WireOutput> {
    const id = requiredString(input, 'Id');
    const found = this.o.store.get(id);
    const statement = id.includes(':') ? this.o.store.get(id.split(':')[0] as string) : found;
    if (END_STATUSES.has(statement.status)) {
      throw new ValidationException(
        `Could not cancel a query that is already in ${statement.status} state with ID: ${id}`,
      );
    }
    await this.o.runner.cancel(statement);
    return { Status: true };
  }

  private async getStatementResult(input: WireInput, format: ResultFormat): Promise<WireOutput> {
    const id = requiredString(input, 'Id');
    const statement = this.o.store.get(id);
    const wait = optionalInteger(input, 'WaitTimeSeconds', 0, MAX_WAIT_TIME_SECONDS);
    if (wait !== undefined && wait > 0) await waitFor(statement, wait);
    if (statement.isBatch) {
      throw new ValidationException(
        'BatchExecuteStatement result can only be retrieved with sub-statement id.',
      );
    }
    const resultFormat = this.formatOf(statement);
    if (resultFormat !== format) {
      throw new ValidationException(
        format === 'JSON'
          ? 'The statement was run with ResultFormat CSV: read its result with GetStatementResultV2.'
          : 'The statement was run with ResultFormat JSON: read its result with GetStatementResult.',
      );
    }
    if (statement.status !== 'FINISHED') {
      throw new ValidationException(
        `Query does not have result. Please check query status with DescribeStatement. (status: ${statement.status})`,
      );
    }
    const result = statement.result;
    if (result === undefined || result.columns.length === 0) {
      throw new ResourceNotFoundException(
        'Query does not have result. Please check query status with DescribeStatement.',
        id,
      );
    }
    const offset = decodeToken(optionalString(input, 'NextToken'), id);
    const end = Math.min(offset + this.o.pageRows, result.rows.length);
    const page = result.rows.slice(offset, end);
    const output: WireOutput = {
      ColumnMetadata: result.columns.map(columnMetadata),
      TotalNumRows: result.rows.length,
    };
    if (format === 'JSON') {
      output['Records'] = page.map((row) =>
        row.map((v, i) => toField(v, (result.columns[i] as { typeOid: number }).typeOid)),
      );
    } else {
      const header =
        offset === 0 ? [result.columns.map((c) => csvValue(c.name, 25)).join(',')] : [];
      const lines = page.map((row) =>
        row
          .map((v, i) => csvValue(v, (result.columns[i] as { typeOid: number }).typeOid))
          .join(','),
      );
      output['Records'] = [{ CSVRecords: [...header, ...lines].map((l) => `${l}\n`).join('') }];
      output['ResultFormat'] = 'CSV';
    }
    if (end < result.rows.length) output['NextToken'] = encodeToken(id, end);
    return output;
  }

  /** A sub-statement's result format is its batch's. */
  private formatOf(statement: Statement): ResultFormat {
    return statement.resultFormat;
  }

  private async listStatements(input: WireInput): Promise<WireOutput> {
    const status = optionalEnum(input, 'Status', STATUSES) ?? 'ALL';
    const prefix = optionalString(input, 'StatementName');
    const cluster = optionalString(input, 'ClusterIdentifier');
    const workgroup = optionalString(input, 'WorkgroupName');
    const database = optionalString(input, 'Database');
    optionalBoolean(input, 'RoleLevel');
    const max = optionalInteger(input, 'MaxResults', 0, MAX_LIST_RESULTS) || MAX_LIST_RESULTS;
    const scope = `list:${status}:${prefix ?? ''}`;
    const offset = decodeToken(optionalString(input, 'NextToken'), scope);
    const matching = this.o.store
      .list()
      .filter(
        (s) =>
          (status === 'ALL' || s.status === status) &&
          (prefix === undefined || (s.statementName ?? '').startsWith(prefix)) &&
          (cluster === undefined || (s.target.kind === 'cluster' && s.target.name === cluster)) &&
          (workgroup === undefined ||
            (s.target.kind === 'workgroup' && s.target.name === workgroup)) &&
          (database === undefined || s.target.database === database),
      );
    const page = matching.slice(offset, offset + max);
    const output: WireOutput = {
      Statements: page.map((s) => {
        const data: WireOutput = {
          Id: s.id,
          Status: s.status,
          CreatedAt: epochSeconds(s.createdAt),
          UpdatedAt: epochSeconds(s.updatedAt),
          IsBatchStatement: s.isBatch,
          ResultFormat: s.resultFormat,
        };
        if (s.statementName !== undefined) data['StatementName'] = s.statementName;
        if (s.isBatch) data['QueryStrings'] = s.subStatements.map((sub) => sub.queryString);
        else data['QueryString'] = s.queryString;
        if (s.target.secretArn !== undefined) data['SecretArn'] = s.target.secretArn;
        if (s.parameters.length > 0) data['QueryParameters'] = s.parameters;
        if (s.sessionId !== undefined) data['SessionId'] = s.sessionId;
        return data;
      }),
    };
    if (offset + max < matching.length) output['NextToken'] = encodeToken(scope, offset + max);
    return output;
  }

  private async listSessions(input: WireInput): Promise<WireOutput> {
    const sessionId = optionalString(input, 'SessionId');
    const status = optionalEnum(input, 'Status', ['AVAILABLE', 'BUSY', 'CLOSED'] as const);
    const cluster = optionalString(input, 'ClusterIdentifier');
    const workgroup = optionalString(input, 'WorkgroupName');
    const database = optionalString(input, 'Database');
    optionalBoolean(input, 'RoleLevel');
    if (
      sessionId !== undefined &&
      [status, cluster, workgroup, database].some((v) => v !== undefined)
    ) {
      throw new ValidationException(
        "When you provide SessionId, you can't specify Status, ClusterIdentifier, WorkgroupName, or Database.",
      );
    }
    const sessions = this.o.sessions
      .list()
      .filter(
        (s) =>
          (sessionId === undefined || s.id === sessionId) &&
          (status === undefined || s.status === status) &&
          (cluster === undefined || (s.target.kind === 'cluster' && s.target.name === cluster)) &&
          (workgroup === undefined ||
            (s.target.kind === 'workgroup' && s.target.name === workgroup)) &&
          (database === undefined || s.target.database === database),
      );
    const data = sessions.map((s) => {
      const out: WireOutput = {
        SessionId: s.id,
        Status: s.status,
        CreatedAt: epochSeconds(s.createdAt),
        UpdatedAt: epochSeconds(s.updatedAt),
        ...targetOutput(s.target),
        SessionAliveSeconds: s.keepAliveSeconds,
        SessionTtl: epochSeconds(s.expiresAt),
      };
      if (s.currentStatementId !== undefined) out['CurrentStatementId'] = s.currentStatementId;
      return out;
    });
    const max = optionalInteger(input, 'MaxResults', 0, MAX_LIST_RESULTS) || MAX_LIST_RESULTS;
    return paginate({ ...input, MaxResults: max }, 'Sessions', data, `sessions:${status ?? ''}`);
  }

  private async listDatabases(input: WireInput): Promise<WireOutput> {
    const target = this.o.targets.resolve(input, { databaseRequired: true });
    const all = await this.o.catalog.databases(target, this.o.targets.databasesOf(target));
    return paginate(input, 'Databases', all, `databases:${target.arn}`);
  }

  private async listSchemas(input: WireInput): Promise<WireOutput> {
    const target = this.connected(input);
    const pattern = optionalString(input, 'SchemaPattern');
    const schemas = await this.o.catalog.schemas(target, pattern);
    return paginate(input, 'Schemas', schemas, `schemas:${target.arn}:${pattern ?? ''}`);
  }

  private async listTables(input: WireInput): Promise<WireOutput> {
    const target = this.connected(input);
    const schemaPattern = optionalString(input, 'SchemaPattern');
    const tablePattern = optionalString(input, 'TablePattern');
    const tables = await this.o.catalog.tables(target, schemaPattern, tablePattern);
    return paginate(
      input,
      'Tables',
      tables,
      `tables:${target.arn}:${schemaPattern ?? ''}:${tablePattern ?? ''}`,
    );
  }

  private async describeTable(input: WireInput): Promise<WireOutput> {
    const target = this.connected(input);
    const schema = optionalString(input, 'Schema') ?? 'public';
    const table = optionalString(input, 'Table');
    const columns = await this.o.catalog.columns(target, schema, table);
    const output = paginate(
      input,
      'ColumnList',
      columns,
      `table:${target.arn}:${schema}:${table ?? ''}`,
    );
    if (table !== undefined) output['TableName'] = table;
    return output;
  }

  /** The target of a catalog call: `ConnectedDatabase` when given, else `Database`. */
  private connected(input: WireInput): ResolvedTarget {
    const database = requiredString(input, 'Database');
    const connected = optionalString(input, 'ConnectedDatabase');
    return this.o.targets.resolve(
      { ...input, Database: connected ?? database },
      { databaseRequired: true },
    );
  }
}

function checkSqlSize(sql: string): void {
  if (Buffer.byteLength(sql) > MAX_SQL_BYTES) {
    throw new ValidationException('Cannot process query string larger than 100kB');
  }
}

function paginate(
  input: WireInput,
  field: string,
  all: readonly unknown[],
  scope: string,
): WireOutput {
  const max = optionalInteger(input, 'MaxResults', 0, 1000) || all.length || 1;
  const offset = decodeToken(optionalString(input, 'NextToken'), scope);
  const output: WireOutput = { [field]: all.slice(offset, offset + max) };
  if (offset + max < all.length) output['NextToken'] = encodeToken(scope, offset + max);
  return output;
}

function describeCommon(s: Statement): WireOutput {
  const output: WireOutput = {
    Id: s.id,
    Status: s.status,
    Duration: durationNanos(s),
    CreatedAt: epochSeconds(s.createdAt),
    UpdatedAt: epochSeconds(s.updatedAt),
    HasResultSet: hasResultSet(s),
    ResultRows: resultRows(s),
    ResultSize: resultSize(s),
    RedshiftQueryId: s.redshiftQueryId,
    QueryString: s.queryString,
  };
  if (s.error !== undefined) output['Error'] = s.error;
  return output;
}

function targetOutput(target: ResolvedTarget): WireOutput {
  const output: WireOutput =
    target.kind === 'cluster' ? { ClusterIdentifier: target.name } : { WorkgroupName: target.name };
  output['Database'] = target.database;
  if (target.dbUser !== undefined) output['DbUser'] = target.dbUser;
  if (target.secretArn !== undefined) output['SecretArn'] = target.secretArn;
  return output;
}

async function waitFor(statement: Statement, seconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    statement.done,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, seconds * 1000);
    }),
  ]);
  clearTimeout(timer);
}
