import { describe, expect, it } from 'vitest';
import type { Branch } from '../../../src/sandbox/asl/definition.js';
import { validateDefinition } from '../../../src/sandbox/asl/validate-definition.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';

function taskWith(fields: Record<string, unknown>): Branch {
  return {
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: LAMBDA, End: true, ...fields },
      H: { Type: 'Pass', End: true },
    },
  } as unknown as Branch;
}

// CreateStateMachine refuses these; the sandbox must too, or a definition that passes its local
// tests fails to deploy (and runs catchers AWS would never reach).
describe('validateDefinition: Retry and Catch', () => {
  it('accepts States.ALL alone in the last retrier and catcher', () => {
    expect(() =>
      validateDefinition(
        taskWith({
          Retry: [
            { ErrorEquals: ['Lambda.TooManyRequestsException'] },
            { ErrorEquals: ['States.ALL'] },
          ],
          Catch: [
            { ErrorEquals: ['States.Timeout'], Next: 'H' },
            { ErrorEquals: ['States.ALL'], Next: 'H' },
          ],
        }),
      ),
    ).not.toThrow();
  });

  it('fails when States.ALL is not the last catcher', () => {
    expect(() =>
      validateDefinition(
        taskWith({
          Catch: [
            { ErrorEquals: ['States.ALL'], Next: 'H' },
            { ErrorEquals: ['States.Timeout'], Next: 'H' },
          ],
        }),
      ),
    ).toThrow("definition: state 'T' has States.ALL in Catch[0], which is not the last entry");
  });

  it('fails when States.ALL is not alone in ErrorEquals', () => {
    expect(() =>
      validateDefinition(taskWith({ Retry: [{ ErrorEquals: ['States.ALL', 'States.Timeout'] }] })),
    ).toThrow("definition: state 'T' has States.ALL in Retry[0] with other error names");
  });

  it('fails when ErrorEquals is missing or empty', () => {
    expect(() => validateDefinition(taskWith({ Retry: [{ MaxAttempts: 2 }] }))).toThrow(
      'definition: state \'T\' Retry[0] needs a non-empty "ErrorEquals" array of error names',
    );
    expect(() => validateDefinition(taskWith({ Catch: [{ ErrorEquals: [], Next: 'H' }] }))).toThrow(
      'definition: state \'T\' Catch[0] needs a non-empty "ErrorEquals" array of error names',
    );
  });

  it('fails when Retry or Catch is not an array', () => {
    expect(() =>
      validateDefinition(taskWith({ Catch: { ErrorEquals: ['States.ALL'], Next: 'H' } })),
    ).toThrow('definition: state \'T\' has a "Catch" that is not an array');
    expect(() => validateDefinition(taskWith({ Retry: { ErrorEquals: ['States.ALL'] } }))).toThrow(
      'definition: state \'T\' has a "Retry" that is not an array',
    );
  });
});

describe('validateDefinition: malformed states', () => {
  it('fails when a state is not an object', () => {
    expect(() =>
      validateDefinition({ StartAt: 'A', States: { A: null } } as unknown as Branch),
    ).toThrow('definition: state \'A\' must be a JSON object with a "Type"');
  });

  it('fails when a Parallel state has no Branches array', () => {
    expect(() =>
      validateDefinition({
        StartAt: 'P',
        States: { P: { Type: 'Parallel', End: true } },
      } as unknown as Branch),
    ).toThrow('definition: Parallel state \'P\' needs a non-empty "Branches" array');
  });
});

describe('validateDefinition: task timeouts', () => {
  it('fails when a timeout is given both as a value and as a path', () => {
    expect(() =>
      validateDefinition(taskWith({ HeartbeatSeconds: 60, HeartbeatSecondsPath: '$.beat' })),
    ).toThrow(
      'definition: Task state \'T\' has both "HeartbeatSeconds" and "HeartbeatSecondsPath": keep one',
    );
    expect(() =>
      validateDefinition(taskWith({ TimeoutSeconds: 60, TimeoutSecondsPath: '$.limit' })),
    ).toThrow(
      'definition: Task state \'T\' has both "TimeoutSeconds" and "TimeoutSecondsPath": keep one',
    );
  });
});
