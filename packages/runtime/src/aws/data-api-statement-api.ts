import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
  type RedshiftDataClientConfig,
  type SubStatementData,
} from '@aws-sdk/client-redshift-data';
import type {
  ExecuteInput,
  ExecuteResult,
  ResultPage,
  StatementApi,
  StatementDescription,
  StatementStatusValue,
  SubStatementDescription,
} from '../ports/statement-api.js';
import { ConfigurationError } from '../core/configuration-error.js';
import { SDK_CLIENT_DEFAULTS } from './aws-clients.js';
import { mapDataApiError } from './data-api-errors.js';
import { targetParameters, type DataApiTarget } from './data-api-target.js';
import { columnFromMetadata, fieldToJson } from './field-values.js';
import { keepLongValuesLossless } from './lossless-long-values.js';

export function createRedshiftDataClient(
  config: RedshiftDataClientConfig = {},
): RedshiftDataClient {
  return new RedshiftDataClient({ ...SDK_CLIENT_DEFAULTS, ...config });
}

function subStatement(sub: SubStatementData): SubStatementDescription {
  return {
    id: sub.Id ?? '',
    status: (sub.Status ?? 'SUBMITTED') as StatementStatusValue,
    ...(sub.Error !== undefined && sub.Error !== '' && { error: sub.Error }),
    ...(sub.Duration !== undefined && { durationNanos: sub.Duration }),
    ...(sub.HasResultSet !== undefined && { hasResultSet: sub.HasResultSet }),
    ...(sub.ResultRows !== undefined && { resultRows: sub.ResultRows }),
    ...(sub.ResultSize !== undefined && { resultSize: sub.ResultSize }),
    ...(sub.RedshiftQueryId !== undefined && { redshiftQueryId: sub.RedshiftQueryId }),
  };
}

/**
 * The Redshift Data API through the SDK v3 client, for one target (cluster or workgroup).
 * Without a target it can describe, cancel and read results (by statement id) but not start.
 */
export class DataApiStatementApi implements StatementApi {
  constructor(
    private readonly client: RedshiftDataClient,
    private readonly target?: DataApiTarget,
  ) {}

  async execute(input: ExecuteInput): Promise<ExecuteResult> {
    if (this.target === undefined) {
      throw new ConfigurationError(
        'no Data API target configured: this handler cannot start statements',
      );
    }
    const common = {
      ...targetParameters(this.target),
      StatementName: input.statementName,
      WithEvent: true,
      ...(input.clientToken !== undefined && { ClientToken: input.clientToken }),
      ...(input.parameters.length > 0 && {
        Parameters: input.parameters.map((p) => ({ name: p.name, value: p.value })),
      }),
      ...(input.waitTimeSeconds !== undefined &&
        input.waitTimeSeconds > 0 && { WaitTimeSeconds: input.waitTimeSeconds }),
    };
    const statement = input.statement;
    try {
      const output =
        statement.kind === 'single'
          ? await this.client.send(new ExecuteStatementCommand({ ...common, Sql: statement.sql }))
          : await this.client.send(
              new BatchExecuteStatementCommand({
                ...common,
                Sqls: [...statement.sqls],
                ExecutionMode: statement.executionMode,
              }),
            );
      if (output.Id === undefined) {
        throw new Error('the Data API returned no statement Id');
      }
      return {
        statementId: output.Id,
        ...(output.Status !== undefined && { status: output.Status as StatementStatusValue }),
      };
    } catch (error) {
      throw mapDataApiError(
        error,
        statement.kind === 'single' ? 'ExecuteStatement' : 'BatchExecuteStatement',
      );
    }
  }

  async describe(statementId: string): Promise<StatementDescription> {
    try {
      const d = await this.client.send(new DescribeStatementCommand({ Id: statementId }));
      return {
        id: d.Id ?? statementId,
        status: (d.Status ?? 'SUBMITTED') as StatementStatusValue,
        ...(d.Error !== undefined && d.Error !== '' && { error: d.Error }),
        ...(d.Duration !== undefined && { durationNanos: d.Duration }),
        ...(d.CreatedAt !== undefined && { createdAt: d.CreatedAt }),
        ...(d.UpdatedAt !== undefined && { updatedAt: d.UpdatedAt }),
        ...(d.HasResultSet !== undefined && { hasResultSet: d.HasResultSet }),
        ...(d.ResultRows !== undefined && { resultRows: d.ResultRows }),
        ...(d.ResultSize !== undefined && { resultSize: d.ResultSize }),
        ...(d.RedshiftQueryId !== undefined && { redshiftQueryId: d.RedshiftQueryId }),
        ...(d.SubStatements !== undefined &&
          d.SubStatements.length > 0 && { subStatements: d.SubStatements.map(subStatement) }),
      };
    } catch (error) {
      throw mapDataApiError(error, 'DescribeStatement');
    }
  }

  async cancel(statementId: string): Promise<boolean> {
    try {
      const output = await this.client.send(new CancelStatementCommand({ Id: statementId }));
      return output.Status === true;
    } catch (error) {
      throw mapDataApiError(error, 'CancelStatement');
    }
  }

  async getResultPage(statementId: string, nextToken?: string): Promise<ResultPage> {
    try {
      const command = new GetStatementResultCommand({
        Id: statementId,
        ...(nextToken !== undefined && { NextToken: nextToken }),
      });
      keepLongValuesLossless(command);
      const page = await this.client.send(command);
      return {
        columns: (page.ColumnMetadata ?? []).map(columnFromMetadata),
        records: (page.Records ?? []).map((record) => record.map(fieldToJson)),
        ...(page.TotalNumRows !== undefined && { totalNumRows: page.TotalNumRows }),
        ...(page.NextToken !== undefined && page.NextToken !== '' && { nextToken: page.NextToken }),
      };
    } catch (error) {
      throw mapDataApiError(error, 'GetStatementResult');
    }
  }
}
