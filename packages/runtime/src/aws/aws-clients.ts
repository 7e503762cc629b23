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

/**
 * For the clients whose middleware stack never changes per command (DynamoDB, Step Functions):
 * the SDK resolves the stack once per command class instead of on every call ("the additional
 * time saved (0-1ms per request)", `cacheMiddleware` in the SDK's client configuration). Not for
 * the Data API client: GetStatementResult commands carry their own middleware
 * (`keepLongValuesLossless`), which a cached stack would share with commands sent without it.
 */
export const FIXED_MIDDLEWARE_CLIENT_DEFAULTS = {
  ...SDK_CLIENT_DEFAULTS,
  cacheMiddleware: true,
} as const;
