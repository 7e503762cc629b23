/**
 * An SQS-like standard queue: messages become invisible for the visibility timeout when
 * received, count their receives, and move to a dead-letter queue when a receive would exceed
 * `maxReceiveCount` (the redrive policy). Durations go through the sandbox clock (time scale).
 * Source: SQS developer guide, "Visibility timeout" and "Dead-letter queues".
 */
import { createHash, randomUUID } from 'node:crypto';
import { Clock } from '../time/clock.js';

/** SQS's default visibility timeout (CreateQueue `VisibilityTimeout` default), seconds. */
export const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
/** The sender id the sandbox reports (an IAM unique id shape). */
const SENDER_ID = 'AIDASANDBOXSTEPSHIFT';

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp: number | undefined;
  visibleAt: number;
  receiptHandle: string | undefined;
}

/** A received message, as ReceiveMessage returns it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: {
    readonly ApproximateReceiveCount: string;
    readonly SentTimestamp: string;
    readonly SenderId: string;
    readonly ApproximateFirstReceiveTimestamp: string;
  };
}

export interface RedrivePolicy {
  readonly deadLetterQueue: Queue;
  readonly maxReceiveCount: number;
}

export interface QueueOptions {
  readonly name: string;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** @default - no dead-letter queue: messages are received forever */
  readonly redrivePolicy?: RedrivePolicy;
  /** @default - real time */
  readonly clock?: Clock;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '123456789012' */
  readonly accountId?: string;
}

export class Queue {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  private readonly messages = new Map<string, QueueMessage>();
  private readonly waiters = new Set<() => void>();
  private readonly visibilityTimeoutSeconds: number;
  private readonly clock: Clock;
  private wakeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: QueueOptions) {
    this.name = options.name;
    this.region = options.region ?? 'us-east-1';
    this.arn = `arn:aws:sqs:${this.region}:${options.accountId ?? '123456789012'}:${options.name}`;
    this.visibilityTimeoutSeconds =
      options.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
    this.clock = options.clock ?? new Clock();
    const max = options.redrivePolicy?.maxReceiveCount;
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
      throw new RangeError(
        `maxReceiveCount of queue '${options.name}' must be a positive integer, got ${max}`,
      );
    }
  }

  send(body: string): string {
    const messageId = randomUUID();
    this.messages.set(messageId, {
      messageId,
      body,
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      sentTimestamp: Date.now(),
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      visibleAt: 0,
      receiptHandle: undefined,
    });
    this.wake();
    return messageId;
  }

  /** Receives up to `max` visible messages, hiding them for the visibility timeout. */
  receive(
    max: number,
    visibilityTimeoutSeconds = this.visibilityTimeoutSeconds,
  ): ReceivedMessage[] {
    const now = Date.now();
    const out: ReceivedMessage[] = [];
    for (const message of this.messages.values()) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      const redrive = this.options.redrivePolicy;
      if (redrive !== undefined && message.receiveCount >= redrive.maxReceiveCount) {
        this.messages.delete(message.messageId);
        redrive.deadLetterQueue.send(message.body);
        continue;
      }
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + this.clock.toRealMs(visibilityTimeoutSeconds);
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
      out.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        md5OfBody: message.md5OfBody,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentTimestamp),
          SenderId: SENDER_ID,
          ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
        },
      });
    }
    this.scheduleWake();
    return out;
  }

  /** Deletes a received message; a stale receipt handle (received again since) is ignored. */
  delete(receiptHandle: string): boolean {
    const messageId = receiptHandle.split('#')[0] ?? '';
    const message = this.messages.get(messageId);
    if (message === undefined || message.receiptHandle !== receiptHandle) return false;
    return this.messages.delete(messageId);
  }

  /** Makes a received message visible again after `seconds` (0: at once). */
  changeVisibility(receiptHandle: string, seconds: number): void {
    const message = this.messages.get(receiptHandle.split('#')[0] ?? '');
    if (message === undefined || message.receiptHandle !== receiptHandle) return;
    message.visibleAt = Date.now() + this.clock.toRealMs(seconds);
    this.scheduleWake();
  }

  /** Visible and in-flight message counts (ApproximateNumberOfMessages / ...NotVisible). */
  counts(): { visible: number; inFlight: number } {
    const now = Date.now();
    let visible = 0;
    for (const message of this.messages.values()) if (message.visibleAt <= now) visible++;
    return { visible, inFlight: this.messages.size - visible };
  }

  /** Bodies of all messages held, oldest first (to inspect a dead-letter queue). */
  bodies(): string[] {
    return [...this.messages.values()].map((m) => m.body);
  }

  /** Resolves when a message is (or becomes) visible, or rejects when the signal aborts. */
  waitForVisible(signal?: AbortSignal): Promise<void> {
    if (this.counts().visible > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        if (this.counts().visible === 0) return;
        this.waiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.waiters.delete(done);
        reject(signal?.reason as Error);
      };
      this.waiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.scheduleWake();
    });
  }

  close(): void {
    clearTimeout(this.wakeTimer);
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private scheduleWake(): void {
    clearTimeout(this.wakeTimer);
    if (this.waiters.size === 0) return;
    const now = Date.now();
    let next = Infinity;
    for (const message of this.messages.values())
      if (message.visibleAt > now) next = Math.min(next, message.visibleAt);
    if (next === Infinity) return;
    this.wakeTimer = setTimeout(
      () => {
        this.wake();
        this.scheduleWake();
      },
      next - now + 1,
    );
  }
}
