export { renderReport } from './render-report.js';
export { InvalidReportInputError, ReportError } from './errors.js';
export type {
  ExecutionStatus,
  FailureEventDetails,
  HistoryEvent,
  Instant,
  ReportInput,
  ReportResult,
  ReportStatement,
  StateEnteredEventDetails,
  StateExitedEventDetails,
} from './types.js';
