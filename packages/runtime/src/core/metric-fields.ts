/** CloudWatch namespace of Stepshift's metrics. */
export const METRICS_NAMESPACE = 'Stepshift';

/**
 * Log fields in CloudWatch Embedded Metric Format: a log line carrying them becomes metrics
 * (`Count`) in CloudWatch without any API call from the Lambda. See "Specification: Embedded
 * metric format" in the CloudWatch user guide.
 */
export function metricFields(
  dimensions: Readonly<Record<string, string>>,
  counts: Readonly<Record<string, number>>,
  timestamp: number,
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.keys(counts).map((name) => ({ Name: name, Unit: 'Count' })),
        },
      ],
    },
    ...dimensions,
    ...counts,
  };
}
