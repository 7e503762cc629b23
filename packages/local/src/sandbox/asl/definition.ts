/**
 * Amazon States Language definition types: the fields the interpreter reads. Values that may
 * be JSONata expressions (`"{% ... %}"`) are typed as `unknown` or `number | string`.
 * Source: https://states-language.net/spec.html and the Step Functions developer guide.
 */

export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
  readonly Output?: unknown;
  readonly Assign?: Readonly<Record<string, unknown>>;
}

interface StateBase {
  readonly Type: string;
  readonly Comment?: string;
  readonly QueryLanguage?: QueryLanguage;
  readonly Next?: string;
  readonly End?: boolean;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly Parameters?: unknown;
  readonly ResultSelector?: unknown;
  readonly ResultPath?: string | null;
  readonly Arguments?: unknown;
  readonly Output?: unknown;
  readonly Assign?: Readonly<Record<string, unknown>>;
  readonly Retry?: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
}

export interface PassState extends StateBase {
  readonly Type: 'Pass';
  readonly Result?: unknown;
}

export interface TaskState extends StateBase {
  readonly Type: 'Task';
  readonly Resource: string;
  readonly TimeoutSeconds?: number | string;
  readonly TimeoutSecondsPath?: string;
  readonly HeartbeatSeconds?: number | string;
  readonly HeartbeatSecondsPath?: string;
  readonly Credentials?: unknown;
}

export interface ChoiceRule {
  readonly Variable?: string;
  readonly Condition?: unknown;
  readonly And?: readonly ChoiceRule[];
  readonly Or?: readonly ChoiceRule[];
  readonly Not?: ChoiceRule;
  readonly Next?: string;
  readonly Output?: unknown;
  readonly Assign?: Readonly<Record<string, unknown>>;
  readonly [operator: string]: unknown;
}

export interface ChoiceState extends StateBase {
  readonly Type: 'Choice';
  readonly Choices: readonly ChoiceRule[];
  readonly Default?: string;
}

export interface WaitState extends StateBase {
  readonly Type: 'Wait';
  readonly Seconds?: number | string;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
}

export interface SucceedState extends StateBase {
  readonly Type: 'Succeed';
}

export interface FailState extends StateBase {
  readonly Type: 'Fail';
  readonly Error?: string;
  readonly ErrorPath?: string;
  readonly Cause?: string;
  readonly CausePath?: string;
}

export interface Branch {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, State>>;
  readonly QueryLanguage?: QueryLanguage;
  readonly ProcessorConfig?: unknown;
}

export interface ParallelState extends StateBase {
  readonly Type: 'Parallel';
  readonly Branches: readonly Branch[];
}

export interface MapState extends StateBase {
  readonly Type: 'Map';
  readonly ItemsPath?: string;
  readonly Items?: unknown;
  readonly ItemSelector?: unknown;
  readonly ItemProcessor?: Branch;
  readonly Iterator?: Branch;
  readonly MaxConcurrency?: number | string;
  readonly MaxConcurrencyPath?: string;
  readonly ToleratedFailurePercentage?: number | string;
  readonly ToleratedFailureCount?: number | string;
}

export type State =
  | PassState
  | TaskState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;

export interface StateMachineDefinition extends Branch {
  readonly Comment?: string;
  readonly Version?: string;
  readonly TimeoutSeconds?: number;
}
