import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadStateMachineFromAssembly } from '../../src/assembly/index.js';

/** Synthesized from the real SfnRedshiftTasker and RedshiftSqlTask by `fixtures/construct/regenerate.mjs`. */
const construct = join(fileURLToPath(new URL('./fixtures/construct/', import.meta.url)));
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

interface TaskState {
  readonly Resource: string;
  readonly Parameters: { readonly FunctionName: string; readonly Payload: Record<string, unknown> };
}

describe('loadStateMachineFromAssembly on the construct’s synthesized output', () => {
  it('points each RedshiftSqlTask at its tasker’s function ARN', async () => {
    const loaded = await loadStateMachineFromAssembly(construct, 'EtlStateMachine');

    const states = (loaded.definition as { States: Record<string, TaskState> }).States;
    expect(
      Object.fromEntries(
        Object.entries(states).map(([name, s]) => [name, s.Parameters?.FunctionName]),
      ),
    ).toEqual({
      CreateTables: `${ARN}:EtlApp-TaskerCCA627D5`,
      LoadWarehouse: `${ARN}:EtlApp-ClusterTaskerBD4B467F`,
      CountRows: `${ARN}:EtlApp-TaskerCCA627D5`,
      PublishReport: `${ARN}:EtlApp-Publish2E9BDF73`,
      'CreateTables cancel': `${ARN}:EtlApp-TaskerCCA627D5`,
      'CreateTables timed out': undefined,
    });
    expect(states['CreateTables']!.Resource).toBe(
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
    );
    expect(states['CountRows']!.Parameters.Payload).toEqual({
      'taskToken.$': '$$.Task.Token',
      'executionArn.$': '$$.Execution.Id',
      'stateName.$': '$$.State.Name',
      sqlStatement: 'SELECT COUNT(*) AS n FROM sales',
      result: 'rows',
    });
    expect([loaded.stateMachineName, loaded.constructPath]).toEqual([
      'EtlStateMachineA2A8BF18',
      'EtlApp/EtlStateMachine',
    ]);
  });

  it('reads both taskers’ configuration from the construct’s metadata, environment and resources', async () => {
    const { taskers } = await loadStateMachineFromAssembly(construct, 'EtlApp/EtlStateMachine');

    expect(
      taskers.map(({ handlers, environment: _environment, ...rest }) => ({
        ...rest,
        roles: Object.keys(handlers),
      })),
    ).toEqual([
      {
        logicalId: 'TaskerCCA627D5',
        constructPath: 'EtlApp/Tasker/Tasker',
        functionName: 'EtlApp-TaskerCCA627D5',
        functionArn: `${ARN}:EtlApp-TaskerCCA627D5`,
        statementPrefix: 'stepshift.etl.',
        tableName: 'EtlApp-TaskerTrackingTable629A6F13',
        database: 'dev',
        clusterIdentifier: undefined,
        workgroupName: 'etl',
        dbUser: undefined,
        secretArn:
          'arn:aws:secretsmanager:us-east-1:123456789012:secret:EtlApp-DbSecret685A0FA5-435136',
        fastPathSeconds: 2,
        reconcileGraceSeconds: 120,
        reservedConcurrency: 3,
        completerReservedConcurrency: 2,
        completerBatchSize: 5,
        maxReceiveCount: 4,
        reconcileIntervalSeconds: 300,
        roles: ['tasker', 'completer', 'reconciler', 'canceller'],
      },
      {
        logicalId: 'ClusterTaskerBD4B467F',
        constructPath: 'EtlApp/ClusterTasker/Tasker',
        functionName: 'EtlApp-ClusterTaskerBD4B467F',
        functionArn: `${ARN}:EtlApp-ClusterTaskerBD4B467F`,
        statementPrefix: 'stepshift.warehouse.',
        tableName: 'EtlApp-ClusterTaskerTrackingTable9D9B0686',
        database: 'warehouse',
        clusterIdentifier: 'analytics',
        workgroupName: undefined,
        dbUser: 'loader',
        secretArn: undefined,
        fastPathSeconds: 0,
        reconcileGraceSeconds: 120,
        reservedConcurrency: 1,
        completerReservedConcurrency: 2,
        completerBatchSize: 10,
        maxReceiveCount: 5,
        reconcileIntervalSeconds: 60,
        roles: ['tasker', 'completer', 'reconciler'],
      },
    ]);
  });
});
