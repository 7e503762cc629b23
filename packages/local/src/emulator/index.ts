export {
  startRedshiftDataEmulator,
  type EmulatorOptions,
  type EmulatorEngine,
  type EmulatorTargetRef,
  type RedshiftDataEmulator,
  type SqlRow,
} from './emulator.js';
export type { CompletionEventSource } from './completion-event-source.js';
export type { RedshiftDataStatusChangeEvent, CompletionState } from './completion-event.js';
export type { EmulatorTarget } from './target.js';
export type { RequestLogEntry } from './http-server.js';
