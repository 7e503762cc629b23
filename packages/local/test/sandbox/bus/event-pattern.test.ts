import { completionEventPattern } from '@stepshift/runtime/contract';
import { describe, expect, it } from 'vitest';
import {
  matchesEventPattern,
  validateEventPattern,
} from '../../../src/sandbox/bus/event-pattern.js';

// The EC2 example event of the EventBridge user guide ("Event patterns").
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'source-ip': '10.0.0.114',
    c_count: 5,
    d_count: 0,
    'file-name': 'photo.PNG',
    location: 'eu-west',
    tags: ['a', 'prod'],
    nested: { deep: { value: 'x' } },
  },
};

const match = (pattern: unknown): boolean => matchesEventPattern(pattern, ec2Event);

describe('EventBridge event patterns', () => {
  it('matches exact values, nested detail and arrays as OR', () => {
    expect(
      match({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }),
    ).toBe(true);
    expect(match({ detail: { state: ['pending', 'terminated'] } })).toBe(true);
    expect(match({ detail: { state: ['running'] } })).toBe(false);
    expect(match({ detail: { nested: { deep: { value: ['x'] } } } })).toBe(true);
    expect(match({ detail: { tags: ['prod'] } })).toBe(true);
    expect(
      match({ resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }),
    ).toBe(true);
    expect(match({ detail: { c_count: ['5'] } })).toBe(false);
  });

  it('matches prefix and suffix, also ignoring case', () => {
    expect(match({ time: [{ prefix: '2017-12-22' }] })).toBe(true);
    expect(match({ source: [{ prefix: 'aws.s3' }] })).toBe(false);
    expect(match({ detail: { 'file-name': [{ suffix: '.png' }] } })).toBe(false);
    expect(match({ detail: { 'file-name': [{ suffix: { 'equals-ignore-case': '.png' } }] } })).toBe(
      true,
    );
    expect(match({ detail: { location: [{ prefix: { 'equals-ignore-case': 'EU-' } }] } })).toBe(
      true,
    );
  });

  it('matches anything-but values, lists, prefix and suffix', () => {
    expect(match({ detail: { state: [{ 'anything-but': 'initializing' }] } })).toBe(true);
    expect(match({ detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } })).toBe(
      false,
    );
    expect(match({ detail: { c_count: [{ 'anything-but': [100, 200, 300] }] } })).toBe(true);
    expect(match({ detail: { state: [{ 'anything-but': { prefix: 'term' } }] } })).toBe(false);
    expect(match({ detail: { 'file-name': [{ 'anything-but': { suffix: '.txt' } }] } })).toBe(true);
    expect(
      match({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['TERMINATED'] } }] } }),
    ).toBe(false);
    expect(match({ detail: { missing: [{ 'anything-but': 'x' }] } })).toBe(false);
  });

  it('matches exists on leaves only', () => {
    expect(match({ detail: { state: [{ exists: true }] } })).toBe(true);
    expect(match({ detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(match({ detail: { missing: [{ exists: true }] } })).toBe(false);
    expect(match({ detail: { nested: [{ exists: true }] } })).toBe(false);
  });

  it('matches numeric ranges and equality', () => {
    expect(
      match({
        detail: { c_count: [{ numeric: ['>', 0, '<=', 5] }], d_count: [{ numeric: ['<', 10] }] },
      }),
    ).toBe(true);
    expect(match({ detail: { c_count: [{ numeric: ['=', 5] }] } })).toBe(true);
    expect(match({ detail: { c_count: [{ numeric: ['>', 5] }] } })).toBe(false);
    expect(match({ detail: { state: [{ numeric: ['>', 0] }] } })).toBe(false);
  });

  it('matches equals-ignore-case, wildcard, cidr and $or', () => {
    expect(match({ detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } })).toBe(true);
    expect(match({ detail: { 'instance-id': [{ wildcard: 'i-*ef0' }] } })).toBe(true);
    expect(match({ detail: { 'instance-id': [{ wildcard: 'i-*x' }] } })).toBe(false);
    expect(match({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toBe(true);
    expect(match({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } })).toBe(false);
    expect(
      match({ detail: { $or: [{ c_count: [{ numeric: ['>', 10] }] }, { d_count: [0] }] } }),
    ).toBe(true);
    expect(match({ detail: { $or: [{ c_count: [1] }, { d_count: [1] }] } })).toBe(false);
  });

  it("routes only the tasker's completion events by statement-name prefix (the contract's pattern)", () => {
    const pattern = completionEventPattern('stepshift.t1.');
    const event = (statementName: string): unknown => ({
      source: 'aws.redshift-data',
      'detail-type': 'Redshift Data Statement Status Change',
      detail: { statementName, state: 'FINISHED' },
    });
    expect(matchesEventPattern(pattern, event('stepshift.t1.abc'))).toBe(true);
    expect(matchesEventPattern(pattern, event('stepshift.t2.abc'))).toBe(false);
    expect(matchesEventPattern(pattern, event('test.testtable'))).toBe(false);
  });

  it('fails when a pattern uses an unknown operator or a non-array value', () => {
    expect(() => validateEventPattern({ detail: { a: [{ 'starts-with': 'x' }] } })).toThrow(
      'Event pattern is not valid: unknown operator "starts-with"',
    );
    expect(() => validateEventPattern({ source: 'aws.ec2' })).toThrow(
      'the value of "source" must be an array or an object, got "aws.ec2"',
    );
    expect(() => validateEventPattern({ detail: { n: [{ numeric: ['>', 'x'] }] } })).toThrow(
      '"numeric" operand must be a number, got "x"',
    );
  });
});
