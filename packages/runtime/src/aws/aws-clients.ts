/**
 * Client settings shared by the SDK clients the handlers create. Adaptive retries add
 * client-side rate limiting on top of exponential back-off: the Data API's account-wide call
 * rates (ExecuteStatement about 30/s, DescribeStatement 100/s) are not adjustable, so
 * throttling will happen under load.
 */
export const SDK_CLIENT_DEFAULTS = {
  retryMode: 'adaptive',
  /** SDK default is 3; a few more attempts ride out bursts of throttling. */
  maxAttempts: 5,
} as const;
