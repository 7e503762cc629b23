/** Base class of the report's errors. */
export class ReportError extends Error {
  override name = 'ReportError';
}

/** The report input is not what `renderReport` can draw; the message says what and how to fix it. */
export class InvalidReportInputError extends ReportError {
  override name = 'InvalidReportInputError';
}
