import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExecutionStatusEvent } from '../../../src/core/events/execution-event.js';

const aborted = {
  version: '0',
  id: '315c1398-40ff-a850-213b-158f73e60175',
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  account: '123456789012',
  time: '2019-02-26T19:42:21Z',
  region: 'us-east-1',
  resources: ['arn:aws:states:us-east-1:123456789012:execution:etl:run-1'],
  detail: {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:etl:run-1',
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:etl',
    name: 'run-1',
    status: 'ABORTED',
    startDate: 1551225146847,
    stopDate: 1551225151881,
  },
};

describe('parseExecutionStatusEvent', () => {
  it('reads the execution and its status', () => {
    expect(parseExecutionStatusEvent(aborted)).toEqual({
      ok: true,
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:etl:run-1',
      status: 'ABORTED',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:etl',
    });
  });

  it('fails when the event is not an execution status change', () => {
    expect(parseExecutionStatusEvent({ ...aborted, source: 'aws.redshift-data' })).toEqual({
      ok: false,
      reason: 'source is "aws.redshift-data", expected "aws.states"',
    });
    expect(
      parseExecutionStatusEvent({ ...aborted, detail: { ...aborted.detail, executionArn: '' } }),
    ).toEqual({ ok: false, reason: 'detail.executionArn is missing or not a string' });
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (input) => {
        expect(() => parseExecutionStatusEvent(input)).not.toThrow();
      }),
    );
  });
});
