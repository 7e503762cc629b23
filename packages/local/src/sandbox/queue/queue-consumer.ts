/**
 * Delivers queue messages in batches to a consumer, as a Lambda SQS event source mapping with
 * `ReportBatchItemFailures`: up to `batchSize` records per invocation, waiting up to the
 * batching window to fill a batch; the records the consumer lists in `batchItemFailures` (or all
 * of them when it throws) stay on the queue and come back after the visibility timeout.
 * Source: Lambda developer guide, "Using Lambda with Amazon SQS".
 */
import type { Clock } from '../time/clock.js';
import { sleepMs } from '../time/clock.js';
import type { Queue, ReceivedMessage } from './queue.js';

/** Lambda's SQS event source default batch size. */
export const DEFAULT_BATCH_SIZE = 10;

/** One record of an SQS event, in the shape Lambda delivers. */
export interface SqsRecord extends ReceivedMessage {
  readonly messageAttributes: Record<string, never>;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

export interface SqsEvent {
  readonly Records: SqsRecord[];
}

export interface BatchResponse {
  readonly batchItemFailures?: readonly { readonly itemIdentifier: string }[];
}

export type SqsConsumer = (
  event: SqsEvent,
) => Promise<BatchResponse | void | null | undefined | unknown>;

export interface QueueConsumerOptions {
  readonly queue: Queue;
  readonly consumer: SqsConsumer;
  readonly clock: Clock;
  /** @default 10 */
  readonly batchSize?: number;
  /** MaximumBatchingWindowInSeconds. @default 0 */
  readonly batchWindowSeconds?: number;
  /** Concurrent batches in flight. @default 1 */
  readonly concurrency?: number;
  /** Called when the consumer throws or answers badly (the batch is retried). */
  readonly onBatchError?: (error: unknown) => void;
}

export interface QueueConsumerHandle {
  /** Stops polling and waits for batches in flight. */
  stop(): Promise<void>;
  /** Batches delivered so far. */
  readonly batches: () => number;
}

/** What to delete: every record but the reported failures; everything stays if the answer is invalid. */
function failedIds(records: readonly SqsRecord[], response: unknown): Set<string> | 'all' {
  if (response === undefined || response === null) return new Set();
  if (typeof response !== 'object') return new Set();
  const failures = (response as BatchResponse).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const ids = new Set(records.map((r) => r.messageId));
  const out = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id =
      typeof failure === 'object' && failure !== null
        ? (failure as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    // An empty, null or unknown itemIdentifier fails the whole batch (Lambda developer guide).
    if (typeof id !== 'string' || !ids.has(id)) return 'all';
    out.add(id);
  }
  return out;
}

export function startQueueConsumer(options: QueueConsumerOptions): QueueConsumerHandle {
  const { queue, consumer, clock } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const controller = new AbortController();
  let batches = 0;

  const poll = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      await queue.waitForVisible(controller.signal);
      const window = options.batchWindowSeconds ?? 0;
      if (window > 0 && queue.counts().visible < batchSize)
        await sleepMs(clock.toRealMs(window), controller.signal);
      const messages = queue.receive(batchSize);
      if (messages.length === 0) continue;
      const records: SqsRecord[] = messages.map((m) => ({
        ...m,
        messageAttributes: {},
        eventSource: 'aws:sqs',
        eventSourceARN: queue.arn,
        awsRegion: queue.region,
      }));
      batches++;
      let failed: Set<string> | 'all';
      try {
        failed = failedIds(records, await consumer({ Records: records }));
      } catch (error) {
        options.onBatchError?.(error);
        failed = 'all';
      }
      if (failed === 'all') continue;
      for (const record of records)
        if (!failed.has(record.messageId)) queue.delete(record.receiptHandle);
    }
  };

  const workers = Array.from({ length: options.concurrency ?? 1 }, () =>
    poll().catch(() => undefined),
  );
  return {
    batches: () => batches,
    stop: async () => {
      controller.abort(new Error('consumer stopped'));
      await Promise.all(workers);
    },
  };
}
