/**
 * `npm run demo` entry: `tsx packages/local/src/sandbox/demo/main.ts [reportDir]`.
 * Exit code 0 when every scenario ends as it should.
 */
import { fileURLToPath } from 'node:url';
import { runDemo } from './demo.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const examplesDir = fileURLToPath(new URL('../../../../../examples/asl/', import.meta.url));
const reportDir = process.argv[2] ?? 'stepshift-demo-report';
const outcomes = await runDemo({
  examplesDir,
  reportDir,
  write: (line) => void process.stdout.write(`${line}\n`),
  color: process.stdout.isTTY === true && (process.env['NO_COLOR'] ?? '') === '',
});
process.exitCode = outcomes.every((o) => o.asExpected) ? 0 : 1;
