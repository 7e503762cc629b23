/**
 * The account and region the local parts pretend to run in (ARNs, events, queue URLs). One
 * place, so an ARN the sandbox builds matches the one the emulator and the assembly reader
 * build. `123456789012` is the account AWS's own documentation examples use.
 */
export const DEFAULT_ACCOUNT_ID = '123456789012';
export const DEFAULT_REGION = 'us-east-1';
