/** The parts of the Lambda event shapes the handlers read (no @types/aws-lambda needed). */

export interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}

/** Partial batch response (`ReportBatchItemFailures`): only these messages are redelivered. */
export interface SqsBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}
