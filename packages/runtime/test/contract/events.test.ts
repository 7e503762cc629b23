import { describe, expect, it } from 'vitest';
import { completionEventPattern, executionEndEventPattern } from '../../src/contract/index.js';

describe('event patterns', () => {
  it('matches only this tasker’s completion events by statement-name prefix', () => {
    expect(completionEventPattern('stepshift.etl.')).toEqual({
      source: ['aws.redshift-data'],
      'detail-type': ['Redshift Data Statement Status Change'],
      detail: { statementName: [{ prefix: 'stepshift.etl.' }] },
    });
  });

  it('matches executions that ended without success, optionally of given state machines', () => {
    expect(executionEndEventPattern()).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'] },
    });
    expect(executionEndEventPattern(['arn:sm'])).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['ABORTED', 'TIMED_OUT', 'FAILED'], stateMachineArn: ['arn:sm'] },
    });
  });
});
