import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseCompletionEvent,
  parseCompletionEventBody,
} from '../../../src/core/events/completion-event.js';

/** The current documented shape (Redshift management guide, "Monitoring events"). */
const currentShape = {
  version: '0',
  id: '18e7079c-dd4b-dd64-caf9-e2a31640dab0',
  'detail-type': 'Redshift Data Statement Status Change',
  source: 'aws.redshift-data',
  account: '123456789012',
  time: '2020-10-01T21:14:26Z',
  region: 'us-east-1',
  resources: ['arn:aws:redshift:us-east-1:123456789012:cluster:redshift-cluster-1'],
  detail: {
    principal: 'arn:aws:iam::123456789012:user/myuser',
    statementName: 'test.testtable',
    statementId: 'dd2e1ec9-2ee3-49a0-819f-905fa7d75a4a',
    redshiftQueryId: -1,
    state: 'FINISHED',
    rows: 1,
    expireAt: 1601673265,
  },
};

/** The older page's shape: clusterId, pages, queryId, ISO expireAt. */
const olderShape = {
  source: 'aws.redshift-data',
  'detail-type': 'Redshift Data Statement Status Change',
  detail: {
    statementId: 'a1b2',
    clusterId: 'redshift-cluster-1',
    statementName: 'stepshift.etl.abc',
    state: 'FAILED',
    pages: 0,
    expireAt: '2020-12-22T18:43:48Z',
    principal: 'arn:aws:iam::123456789012:role/r',
    queryId: 123,
  },
};

describe('parseCompletionEvent', () => {
  it('reads the current documented shape', () => {
    expect(parseCompletionEvent(currentShape)).toEqual({
      ok: true,
      event: {
        statementId: 'dd2e1ec9-2ee3-49a0-819f-905fa7d75a4a',
        statementName: 'test.testtable',
        state: 'FINISHED',
        rows: 1,
        expireAt: '2020-10-02T21:14:25.000Z',
        principal: 'arn:aws:iam::123456789012:user/myuser',
        redshiftQueryId: -1,
        resource: 'arn:aws:redshift:us-east-1:123456789012:cluster:redshift-cluster-1',
        time: '2020-10-01T21:14:26Z',
      },
    });
  });

  it('reads the older documented shape', () => {
    expect(parseCompletionEvent(olderShape)).toEqual({
      ok: true,
      event: {
        statementId: 'a1b2',
        statementName: 'stepshift.etl.abc',
        state: 'FAILED',
        rows: 0,
        expireAt: '2020-12-22T18:43:48.000Z',
        principal: 'arn:aws:iam::123456789012:role/r',
        redshiftQueryId: 123,
        resource: 'redshift-cluster-1',
      },
    });
  });

  it('reads an SQS message body', () => {
    expect(parseCompletionEventBody(JSON.stringify(currentShape))).toEqual(
      parseCompletionEvent(currentShape),
    );
  });

  it('fails when the body is not JSON', () => {
    expect(parseCompletionEventBody('{oops')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^message body is not JSON: /),
    });
  });

  it('fails when the event is another source, type, or lacks id or end state', () => {
    expect(parseCompletionEvent({ ...currentShape, source: 'aws.s3' })).toEqual({
      ok: false,
      reason: 'source is "aws.s3", expected "aws.redshift-data"',
    });
    expect(parseCompletionEvent({ ...currentShape, 'detail-type': 'x' })).toEqual({
      ok: false,
      reason: 'detail-type is "x", expected "Redshift Data Statement Status Change"',
    });
    expect(
      parseCompletionEvent({ ...currentShape, detail: { ...currentShape.detail, statementId: 7 } }),
    ).toEqual({ ok: false, reason: 'detail.statementId is missing or not a string' });
    expect(
      parseCompletionEvent({
        ...currentShape,
        detail: { ...currentShape.detail, state: 'STARTED' },
      }),
    ).toEqual({
      ok: false,
      reason: 'detail.state is "STARTED", expected one of FINISHED, FAILED, ABORTED',
    });
    expect(parseCompletionEvent({ ...currentShape, detail: [] })).toEqual({
      ok: false,
      reason: 'detail is missing or not an object',
    });
    expect(parseCompletionEvent('x')).toEqual({ ok: false, reason: 'event is not a JSON object' });
  });

  it('never throws, whatever the input', () => {
    const detail = fc.dictionary(
      fc.constantFrom(
        'statementId',
        'statementName',
        'state',
        'rows',
        'pages',
        'expireAt',
        'queryId',
        'redshiftQueryId',
        'clusterId',
        'principal',
      ),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom('FINISHED', 'FAILED', 'ABORTED', '2020-01-01T00:00:00Z', 'not a date'),
        fc.double(),
      ),
    );
    const envelope = fc.record(
      {
        source: fc.oneof(fc.constant('aws.redshift-data'), fc.jsonValue({ maxDepth: 1 })),
        'detail-type': fc.oneof(fc.constant('Redshift Data Statement Status Change'), fc.string()),
        resources: fc.oneof(fc.array(fc.string()), fc.jsonValue({ maxDepth: 1 })),
        detail: fc.oneof(detail, fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(envelope, fc.jsonValue({ maxDepth: 3 })), (input) => {
        const parsed = parseCompletionEvent(input);
        if (parsed.ok) {
          expect(typeof parsed.event.statementId).toBe('string');
          expect(['FINISHED', 'FAILED', 'ABORTED']).toContain(parsed.event.state);
          if (parsed.event.expireAt !== undefined) {
            expect(Number.isNaN(Date.parse(parsed.event.expireAt))).toBe(false);
          }
        } else {
          expect(parsed.reason.length).toBeGreaterThan(0);
        }
        expect(() => parseCompletionEventBody(JSON.stringify(input) ?? 'null')).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });
});
