/**
 * What the sandbox needs from the Redshift Data API emulator (`packages/local/src/emulator`):
 * its loopback endpoint, its completion events (full EventBridge envelopes) and direct SQL.
 */
import type { BusEvent } from '../bus/event-bus.js';

export interface DataApiEmulatorHandle {
  /** `http://127.0.0.1:PORT` for the Redshift Data API SDK client. */
  readonly endpoint: string;
  readonly events: { subscribe(listener: (event: BusEvent) => void): () => void };
  sql(query: string): Promise<unknown>;
  close(): Promise<void>;
}
