/**
 * `tsx packages/local/src/sandbox/bench/main.ts [--executions N] [--concurrency N] [--engine E] [--json]`
 */
import { parseArgs } from 'node:util';
import { formatBenchReport, runSandboxBench, type BenchOptions } from './sandbox-bench.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const { values } = parseArgs({
  options: {
    executions: { type: 'string' },
    concurrency: { type: 'string' },
    engine: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const options: BenchOptions = {
  ...(values.executions === undefined ? {} : { executions: Number(values.executions) }),
  ...(values.concurrency === undefined ? {} : { concurrency: Number(values.concurrency) }),
  ...(values.engine === undefined ? {} : { engine: values.engine }),
};
const report = await runSandboxBench(options);
process.stdout.write(
  `${values.json === true ? JSON.stringify(report) : formatBenchReport(report, options)}\n`,
);
