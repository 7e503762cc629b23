export {
  loadStateMachineFromAssembly,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
} from './load-state-machine.js';
export {
  AmbiguousStateMachineError,
  AssemblyError,
  CloudAssemblyNotFoundError,
  InvalidAssemblyContentError,
  StateMachineNotFoundError,
  UnresolvableIntrinsicError,
} from './errors.js';
export { PREFIX_METADATA, ROLE_METADATA } from './taskers.js';
export type {
  AssemblyEnvironment,
  LambdaFunctionInfo,
  LoadedStateMachine,
  StepshiftHandlerInfo,
  TaskerInfo,
} from './types.js';
