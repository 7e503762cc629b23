export * from './emulator/index.js';
export * from './sandbox/index.js';
export {
  renderReport,
  InvalidReportInputError,
  ReportError,
  type ReportInput,
  type ReportResult,
  type ReportStatement,
} from './report/index.js';
export {
  loadStateMachineFromAssembly,
  AmbiguousStateMachineError,
  AssemblyError,
  CloudAssemblyNotFoundError,
  InvalidAssemblyContentError,
  StateMachineNotFoundError,
  UnresolvableIntrinsicError,
  type LoadedStateMachine,
  type TaskerInfo,
} from './assembly/index.js';
