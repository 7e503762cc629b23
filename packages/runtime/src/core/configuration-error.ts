/**
 * A handler's configuration (environment variables or injected config) is missing or wrong.
 * Raised at cold start, before any work, with the variable to fix.
 */
export class ConfigurationError extends Error {
  override readonly name = 'Stepshift.Configuration';
}
