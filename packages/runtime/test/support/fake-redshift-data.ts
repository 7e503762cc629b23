import { randomUUID } from 'node:crypto';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  ValidationException,
  type ColumnMetadata,
  type DescribeStatementResponse,
  type Field,
  type SqlParameter,
  type SubStatementData,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { DATA_API_EVENT_DETAIL_TYPE, DATA_API_EVENT_SOURCE } from '../../src/contract/index.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const CLUSTER_ARN = `arn:aws:redshift:${REGION}:${ACCOUNT}:cluster:redshift-cluster-1`;
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/stepshift-tasker`;

type Status = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

/** A result set: typed columns and rows of Data API `Field`s. */
export interface FakeResult {
  readonly columns: ColumnMetadata[];
  readonly rows: Field[][];
}

interface Part {
  id: string;
  sql: string;
  status: Status;
  error?: string;
  result?: FakeResult;
  queryId: number;
}

interface FakeStatement {
  readonly id: string;
  readonly name: string | undefined;
  readonly parameters: SqlParameter[] | undefined;
  readonly input: Record<string, unknown>;
  readonly createdAt: Date;
  updatedAt: Date;
  status: Status;
  error?: string;
  /** One part for ExecuteStatement, one per SQL for BatchExecuteStatement. */
  readonly parts: Part[];
  readonly batch: boolean;
  queryId: number;
}

/** The completion event envelope exactly as EventBridge delivers it (current documented shape). */
export interface CompletionEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

const validation = (message: string) => new ValidationException({ message, $metadata: {} });

/**
 * A Redshift Data API at the SDK level: a real `RedshiftDataClient` whose `send` is answered
 * by aws-sdk-client-mock the way Redshift answers (ids, ClientToken idempotency, statuses,
 * batches with `<id>:<n>` sub-statements, Errors on Describe, paginated typed results,
 * cancel only while running). The test ends statements and gets the completion event back.
 */
export class FakeRedshiftData {
  readonly client = new RedshiftDataClient({
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  readonly mock = mockClient(this.client);
  readonly statements = new Map<string, FakeStatement>();
  /** Rows per GetStatementResult page (Redshift pages by size; small here to test paging). */
  pageSize = 2;
  /** Called before each GetStatementResult answer (throw to inject a fault). */
  beforeResultPage: (() => void) | undefined;
  /** Called after a statement is created, e.g. to end it at once (the fast path). */
  onStarted: ((id: string) => void) | undefined;
  private readonly clientTokens = new Map<string, string>();
  private readonly executeFaults: unknown[] = [];
  private nextQueryId = 1000;

  constructor() {
    this.mock
      .on(ExecuteStatementCommand)
      .callsFake((input: Record<string, unknown>) =>
        this.start(input, [String(input['Sql'])], false),
      )
      .on(BatchExecuteStatementCommand)
      .callsFake((input: Record<string, unknown>) =>
        this.start(input, (input['Sqls'] as string[] | undefined) ?? [], true),
      )
      .on(DescribeStatementCommand)
      .callsFake((input: { Id: string }) => this.describe(input.Id))
      .on(CancelStatementCommand)
      .callsFake((input: { Id: string }) => this.cancel(input.Id))
      .on(GetStatementResultCommand)
      .callsFake((input: { Id: string; NextToken?: string }) =>
        this.result(input.Id, input.NextToken),
      );
  }

  /** The next Execute/BatchExecute call fails with `error` before reaching "Redshift". */
  failNextExecute(error: unknown): void {
    this.executeFaults.push(error);
  }

  private start(input: Record<string, unknown>, sqls: string[], batch: boolean) {
    const fault = this.executeFaults.shift();
    if (fault !== undefined) throw fault;
    const token = input['ClientToken'] as string | undefined;
    const known = token !== undefined ? this.clientTokens.get(token) : undefined;
    if (known !== undefined) return this.executeOutput(this.get(known), input);
    if (sqls.length === 0) throw validation('Sqls must contain at least 1 statement');
    const id = randomUUID();
    const now = new Date();
    const statement: FakeStatement = {
      id,
      name: input['StatementName'] as string | undefined,
      parameters: input['Parameters'] as SqlParameter[] | undefined,
      input,
      createdAt: now,
      updatedAt: now,
      status: 'SUBMITTED',
      batch,
      queryId: this.nextQueryId++,
      parts: sqls.map((sql, index) => ({
        id: batch ? `${id}:${index + 1}` : id,
        sql,
        status: 'SUBMITTED',
        queryId: this.nextQueryId++,
      })),
    };
    this.statements.set(id, statement);
    if (token !== undefined) this.clientTokens.set(token, id);
    this.onStarted?.(id);
    return this.executeOutput(statement, input);
  }

  private executeOutput(statement: FakeStatement, input: Record<string, unknown>) {
    return {
      Id: statement.id,
      CreatedAt: statement.createdAt,
      ClusterIdentifier: input['ClusterIdentifier'] as string | undefined,
      Database: input['Database'] as string | undefined,
      // Newer API versions return the status; with WaitTimeSeconds it is the status after the wait.
      Status: statement.status,
    };
  }

  get(id: string): FakeStatement {
    const statement = this.statements.get(id);
    if (statement === undefined) throw validation(`Query does not exist.`);
    return statement;
  }

  /** The statements started, oldest first. */
  all(): FakeStatement[] {
    return [...this.statements.values()];
  }

  /** Runs the statement to FINISHED; `results[i]` is the result set of part i (if any). */
  finish(id: string, ...results: (FakeResult | undefined)[]): CompletionEnvelope {
    const statement = this.get(id);
    statement.parts.forEach((part, index) => {
      part.status = 'FINISHED';
      const result = results[index];
      if (result !== undefined) part.result = result;
    });
    return this.end(statement, 'FINISHED');
  }

  /** Fails the statement (for a batch: part `failedPart`, later parts never run). */
  fail(id: string, error: string, failedPart = 0): CompletionEnvelope {
    const statement = this.get(id);
    statement.parts.forEach((part, index) => {
      if (index < failedPart) part.status = 'FINISHED';
      if (index === failedPart) {
        part.status = 'FAILED';
        part.error = error;
      }
      if (index > failedPart) part.status = 'ABORTED';
    });
    statement.error = error;
    return this.end(statement, 'FAILED');
  }

  abort(id: string): CompletionEnvelope {
    const statement = this.get(id);
    statement.parts.forEach((part) => {
      if (part.status !== 'FINISHED') part.status = 'ABORTED';
    });
    return this.end(statement, 'ABORTED');
  }

  private end(statement: FakeStatement, status: Status): CompletionEnvelope {
    statement.status = status;
    statement.updatedAt = new Date(statement.createdAt.getTime() + 1234);
    return this.completionEvent(statement.id);
  }

  /** The event Redshift sends for an ended statement (WithEvent: true). */
  completionEvent(id: string): CompletionEnvelope {
    const statement = this.get(id);
    const rows = statement.parts.reduce((sum, part) => sum + (part.result?.rows.length ?? 0), 0);
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': DATA_API_EVENT_DETAIL_TYPE,
      source: DATA_API_EVENT_SOURCE,
      account: ACCOUNT,
      time: statement.updatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: REGION,
      resources: [CLUSTER_ARN],
      detail: {
        principal: PRINCIPAL,
        statementName: statement.name,
        statementId: statement.id,
        redshiftQueryId: statement.batch ? -1 : statement.queryId,
        state: statement.status,
        rows,
        expireAt: Math.floor(statement.updatedAt.getTime() / 1000) + 86_400,
      },
    };
  }

  private partDescription(part: Part, statement: FakeStatement): SubStatementData {
    const ended = part.status === 'FINISHED';
    return {
      Id: part.id,
      Status: part.status,
      QueryString: part.sql,
      CreatedAt: statement.createdAt,
      UpdatedAt: statement.updatedAt,
      Duration: ended ? 1_234_000_000 : -1,
      HasResultSet: ended && part.result !== undefined,
      ResultRows: ended ? (part.result?.rows.length ?? 0) : -1,
      ResultSize: ended ? 100 : -1,
      RedshiftQueryId: part.queryId,
      ...(part.error !== undefined && { Error: part.error }),
    };
  }

  private describe(id: string): DescribeStatementResponse {
    const statement = this.get(id);
    const ended = statement.status === 'FINISHED';
    const single = statement.parts[0];
    const base: DescribeStatementResponse = {
      Id: statement.id,
      Status: statement.status,
      CreatedAt: statement.createdAt,
      UpdatedAt: statement.updatedAt,
      Duration: ended || statement.status === 'FAILED' ? 1_234_000_000 : -1,
      ClusterIdentifier: statement.input['ClusterIdentifier'] as string | undefined,
      Database: statement.input['Database'] as string | undefined,
      DbUser: statement.input['DbUser'] as string | undefined,
      RedshiftPid: 4242,
      QueryParameters: statement.parameters,
      ...(statement.error !== undefined && { Error: statement.error }),
    };
    if (statement.batch) {
      return {
        ...base,
        QueryString: statement.parts.map((part) => part.sql).join('; '),
        HasResultSet: statement.parts.some((part) => part.result !== undefined),
        ResultRows: ended ? -1 : -1,
        ResultSize: -1,
        RedshiftQueryId: 0,
        SubStatements: statement.parts.map((part) => this.partDescription(part, statement)),
      };
    }
    return {
      ...base,
      QueryString: single?.sql,
      HasResultSet: ended && single?.result !== undefined,
      ResultRows: ended ? (single?.result?.rows.length ?? 0) : -1,
      ResultSize: ended ? 100 : -1,
      RedshiftQueryId: statement.queryId,
    };
  }

  private cancel(id: string) {
    const statement = this.get(id);
    if (['FINISHED', 'FAILED', 'ABORTED'].includes(statement.status)) {
      throw validation(`Could not cancel a query that is already in ${statement.status} state.`);
    }
    this.abort(id);
    return { Status: true };
  }

  private result(id: string, nextToken: string | undefined) {
    this.beforeResultPage?.();
    const [parentId, partNumber] = id.split(':');
    const statement = this.get(parentId ?? id);
    if (statement.batch && partNumber === undefined) {
      throw validation(
        'Batch statement results can only be fetched with a sub-statement id such as <id>:1.',
      );
    }
    const part = statement.parts[partNumber === undefined ? 0 : Number(partNumber) - 1];
    if (part === undefined || part.status !== 'FINISHED' || part.result === undefined) {
      throw validation(
        'Query does not have result. Please check query status with DescribeStatement.',
      );
    }
    const start = nextToken === undefined ? 0 : Number(nextToken);
    const end = start + this.pageSize;
    return {
      ColumnMetadata: part.result.columns,
      Records: part.result.rows.slice(start, end),
      TotalNumRows: part.result.rows.length,
      ...(end < part.result.rows.length && { NextToken: String(end) }),
    };
  }
}
