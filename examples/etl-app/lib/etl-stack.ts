import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RedshiftSqlTask, RedshiftTarget, SfnRedshiftTasker } from '@stepshift/cdk';
import type { Construct } from 'constructs';

/** The error names the runtime raises (the runtime contract's `ErrorNames`). */
const STATEMENT_FAILED = 'Stepshift.StatementFailed';
const STATEMENT_ABORTED = 'Stepshift.StatementAborted';

const DATABASE = 'dev';
const WORKGROUP = 'stepshift-etl';

/**
 * A Redshift Serverless workgroup, one tasker and one state machine per feature. The same
 * definitions run in the local sandbox (`stepshift run cdk.out --state-machine <id>`).
 */
export class EtlStack extends Stack {
  public readonly tasker: SfnRedshiftTasker;
  public readonly stateMachines: Record<string, sfn.StateMachine> = {};

  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Redshift Serverless: the smallest base capacity; the tasker's role becomes a database
    // user through IAM identity (grant it rights in SQL: see the README).
    const namespace = new redshiftserverless.CfnNamespace(this, 'Namespace', {
      namespaceName: 'stepshift-etl',
      dbName: DATABASE,
    });
    const workgroup = new redshiftserverless.CfnWorkgroup(this, 'Workgroup', {
      workgroupName: WORKGROUP,
      namespaceName: namespace.namespaceName,
      baseCapacity: 8,
    });
    workgroup.node.addDependency(namespace);
    const target = RedshiftTarget.workgroupWithIam({
      workgroupName: WORKGROUP,
      workgroupId: workgroup.attrWorkgroupWorkgroupId,
      database: DATABASE,
    });

    // The provisioned-cluster variant: the same tasker on a cluster, statements as `etl`.
    //
    //   const cluster = new redshift.CfnCluster(this, 'Cluster', {
    //     clusterIdentifier: 'stepshift-etl', clusterType: 'single-node', nodeType: 'ra3.large',
    //     dbName: DATABASE, masterUsername: 'admin', manageMasterPassword: true,
    //   });
    //   const target = RedshiftTarget.clusterWithDbUser({
    //     clusterIdentifier: 'stepshift-etl', database: DATABASE, dbUser: 'etl',
    //   });

    this.tasker = new SfnRedshiftTasker(this, 'Tasker', {
      target,
      taskerId: 'etl-app',
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.machine('SuccessChain', this.successChain());
    this.machine('FailingSql', this.failingSql());
    this.machine('SlowQueryCancelled', this.slowQueryCancelled());
    this.machine('ParallelBranches', this.parallelBranches());
    this.machine('BatchWithParameters', this.batchWithParameters());
  }

  /** Create, load, count; the count goes to a Choice in the next state. */
  private successChain(): sfn.IChainable {
    const create = this.sql(
      'CreateTable',
      'CREATE TABLE IF NOT EXISTS sales (id INT, day DATE, amount DECIMAL(10,2))',
    );
    const load = this.sql(
      'LoadSales',
      "INSERT INTO sales VALUES (1, '2026-12-01', 10.50), (2, '2026-12-01', 4.25)",
    );
    const count = new RedshiftSqlTask(this, 'CountSales', {
      tasker: this.tasker,
      sql: 'SELECT COUNT(*) AS total FROM sales',
      returnRows: true,
      resultPath: '$.count',
    });
    const check = new sfn.Choice(this, 'AnySales')
      .when(
        sfn.Condition.numberGreaterThan('$.count.rows[0].total', 0),
        new sfn.Succeed(this, 'SalesLoaded'),
      )
      .otherwise(new sfn.Fail(this, 'NoSales', { error: 'NoSales', cause: 'sales is empty' }));
    return create.next(load).next(count).next(check);
  }

  /** A statement Redshift rejects, caught by its error name. */
  private failingSql(): sfn.IChainable {
    const broken = this.sql('QueryMissingTable', 'SELECT * FROM table_that_does_not_exist');
    const handled = new sfn.Pass(this, 'RecordSqlFailure', {
      parameters: { 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
    });
    broken.addCatch(handled, { errors: [STATEMENT_FAILED], resultPath: '$.error' });
    return broken.next(new sfn.Succeed(this, 'NotReached'));
  }

  /** No heartbeat within 10 s: the statement is cancelled, then the execution goes on. */
  private slowQueryCancelled(): sfn.IChainable {
    return new RedshiftSqlTask(this, 'SlowQuery', {
      tasker: this.tasker,
      // Portable: runs for minutes on Redshift and on PostgreSQL alike.
      sql: 'WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 100000000) SELECT COUNT(*) FROM t',
      heartbeatTimeout: sfn.Timeout.duration(Duration.seconds(10)),
      cancelOnTimeout: true,
      afterCancel: new sfn.Pass(this, 'SlowQueryWasCancelled', {
        result: sfn.Result.fromObject({ cancelled: true }),
        resultPath: '$.outcome',
      }),
    });
  }

  /** Two branches at once; either failing statement fails the whole Parallel. */
  private parallelBranches(): sfn.IChainable {
    const parallel = new sfn.Parallel(this, 'RefreshBoth', { resultPath: '$.branches' })
      .branch(this.sql('RefreshDaily', 'SELECT 1 AS daily'))
      .branch(this.sql('RefreshMonthly', 'SELECT 2 AS monthly'));
    parallel.addCatch(new sfn.Fail(this, 'RefreshFailed', { error: 'RefreshFailed' }), {
      errors: [STATEMENT_FAILED, STATEMENT_ABORTED],
    });
    return parallel;
  }

  /** Replace one day of a summary in one transaction, the day from the execution input. */
  private batchWithParameters(): sfn.IChainable {
    return new RedshiftSqlTask(this, 'ReplaceDay', {
      tasker: this.tasker,
      sqlStatements: [
        'CREATE TABLE IF NOT EXISTS daily_sales (day DATE, total DECIMAL(12,2))',
        'DELETE FROM daily_sales WHERE day = :day',
        'INSERT INTO daily_sales SELECT day, SUM(amount) FROM sales WHERE day = :day GROUP BY day',
      ],
      sqlParameters: { day: sfn.JsonPath.stringAt('$.day') },
      resultPath: '$.batch',
    });
  }

  private sql(id: string, sql: string): RedshiftSqlTask {
    return new RedshiftSqlTask(this, id, { tasker: this.tasker, sql, resultPath: `$.${id}` });
  }

  private machine(id: string, definition: sfn.IChainable): void {
    const machine = new sfn.StateMachine(this, id, {
      stateMachineName: `stepshift-${id}`,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.hours(2),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, `${id}Logs`, {
          retention: logs.RetentionDays.ONE_WEEK,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: sfn.LogLevel.ALL,
      },
    });
    this.tasker.grantStateMachine(machine);
    this.stateMachines[id] = machine;
  }
}
