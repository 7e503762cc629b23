import type { RedshiftDataStatusChangeEvent } from './completion-event.js';

/** Where completion events go: the sandbox subscribes and routes them through its event bus. */
export interface CompletionEventSource {
  /** Calls `listener` for every completion event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: RedshiftDataStatusChangeEvent) => void): () => void;
}

/** An in-process bus: listeners run synchronously; one that throws never stops the others. */
export class CompletionEventBus implements CompletionEventSource {
  private readonly listeners = new Set<(event: RedshiftDataStatusChangeEvent) => void>();

  subscribe(listener: (event: RedshiftDataStatusChangeEvent) => void): () => void {
    const entry = (event: RedshiftDataStatusChangeEvent): void => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  publish(event: RedshiftDataStatusChangeEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        console.error('stepshift emulator: a completion event listener threw:', error);
      }
    }
  }
}
