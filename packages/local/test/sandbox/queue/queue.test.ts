import { afterEach, describe, expect, it } from 'vitest';
import { Queue } from '../../../src/sandbox/queue/queue.js';
import {
  startQueueConsumer,
  type QueueConsumerHandle,
  type SqsEvent,
} from '../../../src/sandbox/queue/queue-consumer.js';
import { Clock } from '../../../src/sandbox/time/clock.js';

const clock = new Clock(1000); // 1 s = 1 ms
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
let consumers: QueueConsumerHandle[] = [];

afterEach(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  consumers = [];
});

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(2);
  }
}

describe('queue', () => {
  it('hides received messages for the visibility timeout and counts receives', async () => {
    const queue = new Queue({ name: 'q', visibilityTimeoutSeconds: 20, clock });
    const id = queue.send('hello');
    const [first] = queue.receive(10);
    expect(first).toMatchObject({
      messageId: id,
      body: 'hello',
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      attributes: { ApproximateReceiveCount: '1', SenderId: 'AIDASANDBOXSTEPSHIFT' },
    });
    expect(queue.receive(10)).toEqual([]);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 1 });
    await sleep(30);
    const [again] = queue.receive(10);
    expect(again?.attributes.ApproximateReceiveCount).toBe('2');
    expect(queue.delete(first?.receiptHandle ?? '')).toBe(false);
    expect(queue.delete(again?.receiptHandle ?? '')).toBe(true);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = new Queue({ name: 'dlq', clock });
    const queue = new Queue({
      name: 'q',
      visibilityTimeoutSeconds: 1,
      clock,
      redrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: 3 },
    });
    queue.send('poison');
    const counts: string[] = [];
    for (let i = 0; i < 4; i++) {
      for (const m of queue.receive(1)) counts.push(m.attributes.ApproximateReceiveCount);
      await sleep(5);
    }
    expect(counts).toEqual(['1', '2', '3']);
    expect(dlq.bodies()).toEqual(['poison']);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('delivers batches in the SQS event shape and honours partial batch failures', async () => {
    const queue = new Queue({ name: 'q', visibilityTimeoutSeconds: 10, clock });
    const seen: { body: string; count: string }[] = [];
    let firstEvent: SqsEvent | undefined;
    consumers.push(
      startQueueConsumer({
        queue,
        clock,
        batchSize: 3,
        batchWindowSeconds: 5,
        consumer: async (event) => {
          firstEvent ??= event;
          for (const r of event.Records)
            seen.push({ body: r.body, count: r.attributes.ApproximateReceiveCount });
          const failing = event.Records.filter(
            (r) => r.body === 'b' && r.attributes.ApproximateReceiveCount === '1',
          );
          return { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.messageId })) };
        },
      }),
    );
    for (const body of ['a', 'b', 'c', 'd']) queue.send(body);
    await until(
      () => seen.length === 5 && queue.counts().inFlight === 0 && queue.counts().visible === 0,
    );
    expect(firstEvent?.Records.map((r) => r.body)).toEqual(['a', 'b', 'c']);
    expect(firstEvent?.Records[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q',
      awsRegion: 'us-east-1',
      messageAttributes: {},
    });
    // The redelivered 'b' may share a batch with 'd' on a loaded machine: compare as a set.
    const byBody = (
      x: { body: string; count: string },
      y: { body: string; count: string },
    ): number => `${x.body}${x.count}`.localeCompare(`${y.body}${y.count}`);
    expect([...seen].sort(byBody)).toEqual([
      { body: 'a', count: '1' },
      { body: 'b', count: '1' },
      { body: 'b', count: '2' },
      { body: 'c', count: '1' },
      { body: 'd', count: '1' },
    ]);
  });

  it('fails the whole batch when the consumer throws or names an unknown item, and redrives it', async () => {
    const dlq = new Queue({ name: 'dlq', clock });
    const queue = new Queue({
      name: 'q',
      visibilityTimeoutSeconds: 2,
      clock,
      redrivePolicy: { deadLetterQueue: dlq, maxReceiveCount: 2 },
    });
    let calls = 0;
    consumers.push(
      startQueueConsumer({
        queue,
        clock,
        consumer: async () => {
          calls++;
          if (calls === 1) throw new Error('crash');
          return { batchItemFailures: [{ itemIdentifier: 'not-in-batch' }] };
        },
      }),
    );
    queue.send('x');
    await until(() => dlq.bodies().length === 1);
    expect(calls).toBe(2);
  });
});
