/** Base class of the cloud assembly reader's errors. */
export class AssemblyError extends Error {
  override name = 'AssemblyError';
}

/** The `cdk.out` directory or its `manifest.json` is missing or unreadable. */
export class CloudAssemblyNotFoundError extends AssemblyError {
  override name = 'CloudAssemblyNotFoundError';
}

/** No state machine matches the id, path or logical id; the message lists those there are. */
export class StateMachineNotFoundError extends AssemblyError {
  override name = 'StateMachineNotFoundError';
}

/** More than one state machine matches; the message lists them with their full paths. */
export class AmbiguousStateMachineError extends AssemblyError {
  override name = 'AmbiguousStateMachineError';
}

/** An intrinsic function or reference cannot be resolved from the template alone. */
export class UnresolvableIntrinsicError extends AssemblyError {
  override name = 'UnresolvableIntrinsicError';
}

/** The resolved definition is not ASL JSON, or a tasker's configuration is not usable. */
export class InvalidAssemblyContentError extends AssemblyError {
  override name = 'InvalidAssemblyContentError';
}
