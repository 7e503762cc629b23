import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { StateMachineDefinition } from '../../../src/sandbox/asl/definition.js';
import { validateDefinition } from '../../../src/sandbox/asl/validate-definition.js';
import { DEMO_SCENARIOS } from '../../../src/sandbox/demo/demo.js';

const examples = fileURLToPath(new URL('../../../../../examples/asl/', import.meta.url));

describe('demo scenarios', () => {
  it('name valid example definitions (the flows themselves run in the end-to-end tests)', async () => {
    for (const scenario of DEMO_SCENARIOS) {
      const definition = JSON.parse(
        await readFile(`${examples}${scenario.file}`, 'utf8'),
      ) as StateMachineDefinition;
      expect(() => validateDefinition(definition)).not.toThrow();
    }
    expect(DEMO_SCENARIOS.map((s) => s.name)).toEqual([
      'success-chain',
      'failure-caught',
      'parallel-throttled',
      'batch-rollback',
      'redshift-data-polling',
      'heartbeat-timeout',
      'plain-lambda',
    ]);
  });
});
