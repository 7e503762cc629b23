/**
 * Stepshift's runtime end to end, in one process: the tasker handler starts a statement, the
 * Redshift Data API (answered at the SDK level, the way Redshift answers) ends it and emits
 * its completion event, the event travels in an SQS record to the completer handler, and the
 * completer sends the Step Functions callback, with the tracking table in dynalite.
 *
 *   npx tsx packages/runtime/examples/flow-demo.ts      (npm run demo)
 *
 * The local sandbox (`@stepshift/local`) replaces this with a real SQL engine.
 */
import type { StartResult } from '../src/core/start.js';
import { flowHarness, type FlowHarness } from '../test/support/flow-harness.js';
import { startLocalDynamoDb } from '../test/support/local-dynamodb.js';
import { sqsEvent } from '../test/support/sqs-records.js';
import type { CompletionEnvelope } from '../test/support/fake-redshift-data.js';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:demo:run-1';

function show(label: string, value: unknown): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  console.log(`    ${label.padEnd(16)} ${text}`);
}

async function runTask(
  h: FlowHarness,
  title: string,
  taskToken: string,
  payload: Record<string, unknown>,
  end: (statementId: string) => CompletionEnvelope,
): Promise<void> {
  console.log(`\n${title}`);
  show('payload', payload);
  const started = (await h.tasker({
    taskToken,
    executionArn: EXECUTION,
    ...payload,
  })) as StartResult;
  show('tasker started', `${started.statementName} (statement ${started.statementId})`);
  const event = end(started.statementId ?? '');
  show('Redshift event', `${event.detail['state']} for ${event.detail['statementName']}`);
  const response = await h.completer(sqsEvent(event));
  show('completer', response);
  for (const outcome of h.sfn.outcomesOf(taskToken)) {
    if (outcome.kind === 'success') {
      show('SendTaskSuccess', outcome.output);
    } else {
      show('SendTaskFailure', outcome.error);
      show('cause', outcome.cause);
    }
  }
  const row = await h.tracking.get(started.statementName);
  show('tracking row', `${row?.status} (${row?.outcome})`);
}

async function main(): Promise<void> {
  const dynamo = await startLocalDynamoDb();
  try {
    const h = await flowHarness(dynamo);
    console.log('Stepshift runtime flow demo');
    console.log(
      'tasker → Data API (SDK level) → completion event → SQS → completer → Step Functions callback, tracking in dynalite',
    );

    await runTask(
      h,
      '1. A statement that succeeds',
      'demo-token-1',
      { sqlStatement: 'insert into sales_daily select * from sales_staging', stateName: 'Load' },
      (id) => h.redshift.finish(id),
    );

    await runTask(
      h,
      '2. A statement that fails in Redshift',
      'demo-token-2',
      { sqlStatement: 'select * from missing_table' },
      (id) => h.redshift.fail(id, 'ERROR: relation "missing_table" does not exist'),
    );

    h.redshift.pageSize = 2;
    await runTask(
      h,
      '3. A query whose rows come back (result: "rows", three result pages)',
      'demo-token-3',
      {
        sqlStatement: 'select region, total from sales_by_region where total > :min',
        sqlParameters: { min: 100 },
        result: 'rows',
      },
      (id) =>
        h.redshift.finish(id, {
          columns: [
            { name: 'region', label: 'region', typeName: 'varchar' },
            { name: 'total', label: 'total', typeName: 'numeric' },
          ],
          rows: [
            [{ stringValue: 'emea' }, { stringValue: '1204.50' }],
            [{ stringValue: 'amer' }, { stringValue: '980.00' }],
            [{ stringValue: 'apac' }, { stringValue: '455.25' }],
            [{ stringValue: 'latam' }, { stringValue: '120.75' }],
            [{ stringValue: 'anz' }, { isNull: true }],
          ],
        }),
    );

    console.log(`\n${h.sfn.outcomes.length} callbacks sent, one per task.`);
  } finally {
    await dynamo.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
