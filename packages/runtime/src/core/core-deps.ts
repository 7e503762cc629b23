import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { StatementApi } from '../ports/statement-api.js';
import type { TaskCallbacks } from '../ports/task-callbacks.js';
import type { TrackingStore } from '../ports/tracking-store.js';
import type { CoreConfig } from './core-config.js';

/** Everything the algorithms use. Each algorithm takes only the parts it needs. */
export interface CoreDeps {
  readonly statements: StatementApi;
  readonly tracking: TrackingStore;
  readonly callbacks: TaskCallbacks;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly config: CoreConfig;
  /** Claim ids. */
  readonly newId: () => string;
}

export const defaultNewId = (): string => randomUUID();
