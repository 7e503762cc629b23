/**
 * Task tokens of `.waitForTaskToken` tasks. A token completes its task once: the first
 * `SendTaskSuccess`/`SendTaskFailure` wins, any later call (or a call after the task timed out
 * or its execution stopped) gets `TaskTimedOut`, as in AWS.
 */
import { randomBytes } from 'node:crypto';
import {
  MAX_TASK_CAUSE_CHARS,
  MAX_TASK_ERROR_CHARS,
  MAX_TASK_OUTPUT_BYTES,
  MAX_TASK_TOKEN_CHARS,
} from '@stepshift/runtime/contract';
import { StatesError } from '../asl/errors.js';
import {
  InvalidOutputError,
  InvalidTokenError,
  TaskDoesNotExistError,
  TaskTimedOutError,
  ValidationError,
} from './errors.js';

/** Random bytes per token: AWS tokens are several hundred characters; ours are 256 base64 chars. */
const TOKEN_RANDOM_BYTES = 189;
/** Every token this registry issues starts with this (AWS tokens start with `AQ` too). */
const TOKEN_PREFIX = 'AQ';
const TOKEN_PATTERN = /^AQ[A-Za-z0-9_-]+$/;

export interface TokenInfo {
  readonly executionArn: string;
  readonly stateName: string;
}

/** What a waiting task sees of its token. */
export interface IssuedToken {
  readonly token: string;
  /** Resolves with the parsed output of `SendTaskSuccess`, rejects with a `StatesError` for `SendTaskFailure`. */
  readonly outcome: Promise<unknown>;
  /** Called on every `SendTaskHeartbeat`. */
  onHeartbeat(listener: () => void): void;
  /** Ends the token (timeout, abort): later callbacks get `TaskTimedOut`. */
  close(): void;
}

interface Pending {
  readonly info: TokenInfo;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: StatesError) => void;
  readonly heartbeatListeners: (() => void)[];
}

/** Callback counts: accepted successes, failures and heartbeats, and refused calls. */
export interface CallbackStats {
  readonly successes: number;
  readonly failures: number;
  readonly heartbeats: number;
  readonly refused: number;
}

export class TaskTokenRegistry {
  private counts = { successes: 0, failures: 0, heartbeats: 0, refused: 0 };

  stats(): CallbackStats {
    return { ...this.counts };
  }

  private readonly pending = new Map<string, Pending>();
  private readonly closed = new Set<string>();
  private readonly issueListeners: ((token: string, info: TokenInfo) => void)[] = [];

  /** Calls `listener` for every token issued from now on. */
  onIssue(listener: (token: string, info: TokenInfo) => void): void {
    this.issueListeners.push(listener);
  }

  issue(info: TokenInfo): IssuedToken {
    const token = TOKEN_PREFIX + randomBytes(TOKEN_RANDOM_BYTES).toString('base64url');
    let resolve!: (output: unknown) => void;
    let reject!: (error: StatesError) => void;
    const outcome = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // The waiter may attach late (the callback can come while the Lambda still runs).
    outcome.catch(() => undefined);
    const entry: Pending = { info, resolve, reject, heartbeatListeners: [] };
    this.pending.set(token, entry);
    for (const listener of this.issueListeners) listener(token, info);
    return {
      token,
      outcome,
      onHeartbeat: (listener) => entry.heartbeatListeners.push(listener),
      close: () => this.finish(token),
    };
  }

  /** Tokens still waiting for a callback (for progress displays and tests). */
  pendingTokens(): { token: string; info: TokenInfo }[] {
    return [...this.pending].map(([token, entry]) => ({ token, info: entry.info }));
  }

  sendTaskSuccess(token: unknown, output: unknown): void {
    if (typeof output !== 'string') throw new ValidationError("'output' must be a JSON string");
    if (Buffer.byteLength(output, 'utf8') > MAX_TASK_OUTPUT_BYTES) {
      throw new ValidationError(`'output' is longer than ${MAX_TASK_OUTPUT_BYTES} bytes`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(output) as unknown;
    } catch {
      throw new InvalidOutputError(`Invalid Output: '${output.slice(0, 100)}' is not valid JSON`);
    }
    const entry = this.take(token);
    this.counts.successes++;
    entry.resolve(parsed);
  }

  sendTaskFailure(token: unknown, error: unknown, cause: unknown): void {
    if (error !== undefined && (typeof error !== 'string' || error.length > MAX_TASK_ERROR_CHARS)) {
      throw new ValidationError(
        `'error' must be a string of at most ${MAX_TASK_ERROR_CHARS} characters`,
      );
    }
    if (cause !== undefined && (typeof cause !== 'string' || cause.length > MAX_TASK_CAUSE_CHARS)) {
      throw new ValidationError(
        `'cause' must be a string of at most ${MAX_TASK_CAUSE_CHARS} characters`,
      );
    }
    const entry = this.take(token);
    this.counts.failures++;
    entry.reject(new StatesError(error ?? '', cause ?? ''));
  }

  sendTaskHeartbeat(token: unknown): void {
    const entry = this.lookup(token);
    this.counts.heartbeats++;
    for (const listener of entry.heartbeatListeners) listener();
  }

  private lookup(token: unknown): Pending {
    try {
      return this.find(token);
    } catch (error) {
      this.counts.refused++;
      throw error;
    }
  }

  private find(token: unknown): Pending {
    if (typeof token !== 'string' || token.length < 1 || token.length > MAX_TASK_TOKEN_CHARS) {
      throw new ValidationError(
        `'taskToken' must be a string of 1 to ${MAX_TASK_TOKEN_CHARS} characters`,
      );
    }
    if (!TOKEN_PATTERN.test(token)) throw new InvalidTokenError('Invalid token');
    if (this.closed.has(token)) throw new TaskTimedOutError('Task Timed Out');
    const entry = this.pending.get(token);
    if (entry === undefined) throw new TaskDoesNotExistError('Task does not exist');
    return entry;
  }

  private take(token: unknown): Pending {
    const entry = this.lookup(token);
    this.finish(token as string);
    return entry;
  }

  private finish(token: string): void {
    if (this.pending.delete(token)) this.closed.add(token);
  }
}
