import { Defaults, EnvVars } from '@stepshift/runtime/contract';
import { InvalidAssemblyContentError } from './errors.js';
import { readLambdaFunction } from './lambda-functions.js';
import { at, type TemplateResolver } from './template-resolver.js';
import type { StepshiftHandlerInfo, TaskerInfo } from './types.js';

/**
 * Resource metadata the construct (`packages/cdk/src/sfn-redshift-tasker.ts`) puts on each
 * handler function: its role and its tasker's statement prefix.
 */
export const ROLE_METADATA = 'stepshift:role';
export const PREFIX_METADATA = 'stepshift:statementPrefix';

const ROLES: readonly StepshiftHandlerInfo['role'][] = [
  'tasker',
  'completer',
  'reconciler',
  'canceller',
];

/** `rate(value unit)` of an EventBridge schedule expression. */
const RATE_EXPRESSION = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { minute: 60, hour: 3600, day: 86_400 };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberFromEnv(
  env: Readonly<Record<string, string>>,
  name: string,
  fallback: number,
  fn: string,
): number {
  const raw = env[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new InvalidAssemblyContentError(
      `${name} of the Stepshift tasker ${fn} is ${JSON.stringify(raw)}, not a number of seconds`,
    );
  }
  return n;
}

function resourcesOfType(
  resolver: TemplateResolver,
  type: string,
): [string, Record<string, unknown>][] {
  return Object.entries(resolver.stack.template.Resources ?? {})
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}]);
}

/** The completer's SQS event source: its batch size and its queue's maxReceiveCount. */
function completerQueue(
  resolver: TemplateResolver,
  completer: StepshiftHandlerInfo | undefined,
): { batchSize?: number; maxReceiveCount?: number } {
  if (!completer) return {};
  for (const [id, props] of resourcesOfType(resolver, 'AWS::Lambda::EventSourceMapping')) {
    const where = `Resources.${id}.Properties`;
    const fn = resolver.resolve(props['FunctionName'], at(where, 'FunctionName'));
    if (fn !== completer.functionName && fn !== completer.functionArn) continue;
    const out: { batchSize?: number; maxReceiveCount?: number } = {};
    if (props['BatchSize'] !== undefined)
      out.batchSize = Number(resolver.resolve(props['BatchSize'], at(where, 'BatchSize')));
    const sourceArn = resolver.resolve(props['EventSourceArn'], at(where, 'EventSourceArn'));
    for (const [queueId, queue] of resourcesOfType(resolver, 'AWS::SQS::Queue')) {
      if (resolver.arn(queueId, `Resources.${queueId}`) !== sourceArn) continue;
      const redrive = resolver.resolve(
        queue['RedrivePolicy'],
        `Resources.${queueId}.Properties.RedrivePolicy`,
      );
      const policy = typeof redrive === 'string' ? (JSON.parse(redrive) as unknown) : redrive;
      if (isObject(policy) && policy['maxReceiveCount'] !== undefined)
        out.maxReceiveCount = Number(policy['maxReceiveCount']);
    }
    return out;
  }
  return {};
}

/** The reconciler's schedule in seconds, from the rule that targets it. */
function reconcileInterval(
  resolver: TemplateResolver,
  reconciler: StepshiftHandlerInfo | undefined,
): number | undefined {
  if (!reconciler) return undefined;
  for (const [id, props] of resourcesOfType(resolver, 'AWS::Events::Rule')) {
    const where = `Resources.${id}.Properties`;
    const targets = Array.isArray(props['Targets']) ? props['Targets'] : [];
    const hit = targets.some(
      (t, i) =>
        isObject(t) &&
        resolver.resolve(t['Arn'], at(at(at(where, 'Targets'), i), 'Arn')) ===
          reconciler.functionArn,
    );
    if (!hit || props['ScheduleExpression'] === undefined) continue;
    const expression = resolver.resolveString(
      props['ScheduleExpression'],
      at(where, 'ScheduleExpression'),
    );
    const m = RATE_EXPRESSION.exec(expression);
    if (m) return Number(m[1]) * UNIT_SECONDS[m[2]!.replace(/s$/, '')]!;
  }
  return undefined;
}

/**
 * The Stepshift taskers of a stack, found by the `stepshift:role` metadata the construct puts on
 * its functions, each with the configuration the sandbox needs, resolved from the template.
 */
export function readTaskers(resolver: TemplateResolver): TaskerInfo[] {
  const byPrefix = new Map<
    string,
    Partial<Record<StepshiftHandlerInfo['role'], StepshiftHandlerInfo>>
  >();
  const order: string[] = [];
  for (const [logicalId, resource] of Object.entries(resolver.stack.template.Resources ?? {})) {
    const role = resource.Metadata?.[ROLE_METADATA];
    if (
      resource.Type !== 'AWS::Lambda::Function' ||
      !ROLES.includes(role as StepshiftHandlerInfo['role'])
    )
      continue;
    const info = readLambdaFunction(resolver, logicalId, true);
    const prefix =
      (resource.Metadata?.[PREFIX_METADATA] as string | undefined) ??
      info.environment[EnvVars.statementPrefix];
    if (typeof prefix !== 'string' || prefix === '') {
      throw new InvalidAssemblyContentError(
        `the Stepshift ${String(role)} function ${logicalId} in ${resolver.location(`Resources.${logicalId}`)} has neither ${PREFIX_METADATA} metadata nor ${EnvVars.statementPrefix}: synthesize it with @stepshift/cdk's SfnRedshiftTasker`,
      );
    }
    if (!byPrefix.has(prefix)) {
      byPrefix.set(prefix, {});
      order.push(prefix);
    }
    byPrefix.get(prefix)![role as StepshiftHandlerInfo['role']] = {
      ...info,
      role: role as StepshiftHandlerInfo['role'],
    };
  }
  const taskers: TaskerInfo[] = [];
  for (const prefix of order) {
    const handlers = byPrefix.get(prefix)!;
    const tasker = handlers.tasker;
    if (!tasker) continue; // companions of a tasker in another stack
    const env = tasker.environment;
    const name = `${tasker.logicalId} (${tasker.constructPath ?? tasker.functionName})`;
    const queue = completerQueue(resolver, handlers.completer);
    taskers.push({
      logicalId: tasker.logicalId,
      constructPath: tasker.constructPath,
      functionName: tasker.functionName,
      functionArn: tasker.functionArn,
      statementPrefix: prefix,
      tableName: env[EnvVars.tableName],
      database: env[EnvVars.database],
      clusterIdentifier: env[EnvVars.clusterIdentifier],
      workgroupName: env[EnvVars.workgroupName],
      dbUser: env[EnvVars.dbUser],
      secretArn: env[EnvVars.secretArn],
      fastPathSeconds: numberFromEnv(env, EnvVars.fastPathSeconds, Defaults.fastPathSeconds, name),
      reconcileGraceSeconds: numberFromEnv(
        env,
        EnvVars.reconcileGraceSeconds,
        Defaults.reconcileGraceSeconds,
        name,
      ),
      reservedConcurrency: tasker.reservedConcurrency ?? Defaults.taskerReservedConcurrency,
      completerReservedConcurrency:
        handlers.completer?.reservedConcurrency ?? Defaults.completerReservedConcurrency,
      completerBatchSize: queue.batchSize ?? Defaults.completerBatchSize,
      maxReceiveCount: queue.maxReceiveCount ?? Defaults.maxReceiveCount,
      reconcileIntervalSeconds:
        reconcileInterval(resolver, handlers.reconciler) ?? Defaults.reconcileIntervalSeconds,
      environment: env,
      handlers,
    });
  }
  return taskers;
}
