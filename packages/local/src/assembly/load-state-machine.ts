import { readFile } from 'node:fs/promises';
import { readCloudAssembly, type AssemblyStack } from './cloud-assembly.js';
import {
  AmbiguousStateMachineError,
  InvalidAssemblyContentError,
  StateMachineNotFoundError,
  UnresolvableIntrinsicError,
} from './errors.js';
import { constructPathOf, readLambdaFunctions } from './lambda-functions.js';
import type { Environment } from './resource-identity.js';
import { readTaskers } from './taskers.js';
import { at, TemplateResolver } from './template-resolver.js';
import type { AssemblyEnvironment, LoadedStateMachine } from './types.js';

import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../aws-defaults.js';

export { DEFAULT_ACCOUNT_ID, DEFAULT_REGION };
const DEFAULT_PARTITION = 'aws';
const URL_SUFFIX = 'amazonaws.com';

const STATE_MACHINE = 'AWS::StepFunctions::StateMachine';

interface Candidate {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  /** Construct path without `/Resource`, when known. */
  readonly path: string | undefined;
  readonly literalName: string | undefined;
}

function describeCandidate(c: Candidate): string {
  return `${c.path ?? `${c.stack.stackName}/${c.logicalId}`} (logical id ${c.logicalId}, stack ${c.stack.stackName})`;
}

function candidatesOf(stacks: readonly AssemblyStack[]): Candidate[] {
  const out: Candidate[] = [];
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== STATE_MACHINE) continue;
      const name = resource.Properties?.['StateMachineName'];
      out.push({
        stack,
        logicalId,
        path: stack.paths.get(logicalId)?.replace(/\/Resource$/, ''),
        literalName: typeof name === 'string' ? name : undefined,
      });
    }
  }
  return out;
}

/** Exact matches (path, logical id, name) win over a bare construct id matching several. */
function find(candidates: readonly Candidate[], query: string): Candidate[] {
  const q = query.replace(/^\//, '').replace(/\/Resource$/, '');
  const exact = candidates.filter(
    (c) =>
      c.path === q ||
      c.logicalId === q ||
      `${c.stack.stackName}/${c.logicalId}` === q ||
      `${c.stack.artifactId}/${c.logicalId}` === q ||
      c.literalName === q,
  );
  if (exact.length > 0) return exact;
  return candidates.filter(
    (c) => c.path !== undefined && (c.path.split('/').at(-1) === q || c.path.endsWith(`/${q}`)),
  );
}

function substitute(definition: string, substitutions: Readonly<Record<string, string>>): string {
  return definition.replace(/\$\{([^}]+)\}/g, (match, key: string) => substitutions[key] ?? match);
}

async function definitionText(resolver: TemplateResolver, c: Candidate): Promise<string> {
  const properties = resolver.stack.template.Resources?.[c.logicalId]?.Properties ?? {};
  const where = `Resources.${c.logicalId}.Properties`;
  if (properties['DefinitionString'] !== undefined) {
    return resolver.resolveString(properties['DefinitionString'], at(where, 'DefinitionString'));
  }
  if (properties['Definition'] !== undefined) {
    return JSON.stringify(resolver.resolve(properties['Definition'], at(where, 'Definition')));
  }
  const location = properties['DefinitionS3Location'];
  if (typeof location === 'object' && location !== null) {
    const keyWhere = at(at(where, 'DefinitionS3Location'), 'Key');
    const key = resolver.resolveString((location as Record<string, unknown>)['Key'], keyWhere);
    const file = resolver.stack.assets.get(key);
    if (file === undefined) {
      throw new UnresolvableIntrinsicError(
        `the definition of ${describeCandidate(c)} is in S3 object ${key} (${resolver.location(keyWhere)}), which is not an asset of this cloud assembly`,
      );
    }
    return readFile(file, 'utf8');
  }
  throw new InvalidAssemblyContentError(
    `${describeCandidate(c)} has no DefinitionString, Definition or DefinitionS3Location at ${resolver.location(where)}`,
  );
}

/**
 * Reads a state machine from a CDK cloud assembly (`cdk.out`): finds it by construct id
 * (`EtlMachine`), construct path (`EtlStack/EtlMachine`), logical id or `StateMachineName`;
 * resolves its definition's intrinsic functions and `DefinitionSubstitutions` against the
 * stack's template (Lambda references become `arn:aws:lambda:us-east-1:123456789012:function:<name>`);
 * and returns the stack's Stepshift taskers and Lambda functions.
 *
 * @throws CloudAssemblyNotFoundError when the directory or its manifest.json is missing
 * @throws StateMachineNotFoundError when nothing matches (the message lists the state machines)
 * @throws AmbiguousStateMachineError when several match a construct id
 * @throws UnresolvableIntrinsicError naming the intrinsic and where it is
 * @throws InvalidAssemblyContentError when the definition is not JSON or a tasker is malformed
 */
export async function loadStateMachineFromAssembly(
  cdkOutDir: string,
  stateMachine: string,
  environment: AssemblyEnvironment = {},
): Promise<LoadedStateMachine> {
  const stacks = await readCloudAssembly(cdkOutDir);
  const candidates = candidatesOf(stacks);
  const matches = find(candidates, stateMachine);
  if (matches.length === 0) {
    const available =
      candidates.length === 0
        ? `it has no AWS::StepFunctions::StateMachine (stacks: ${stacks.map((s) => s.stackName).join(', ') || 'none'})`
        : `available: ${candidates.map(describeCandidate).join('; ')}`;
    throw new StateMachineNotFoundError(
      `no state machine matches "${stateMachine}" in ${cdkOutDir}; ${available}. Give a construct id, a construct path, a logical id or a StateMachineName`,
    );
  }
  if (matches.length > 1) {
    throw new AmbiguousStateMachineError(
      `"${stateMachine}" matches ${matches.length} state machines in ${cdkOutDir}: ${matches.map(describeCandidate).join('; ')}. Give the construct path to pick one`,
    );
  }
  const match = matches[0]!;
  const env: Environment = {
    region: environment.region ?? DEFAULT_REGION,
    accountId: environment.accountId ?? DEFAULT_ACCOUNT_ID,
    partition: environment.partition ?? DEFAULT_PARTITION,
    urlSuffix: URL_SUFFIX,
  };
  const resolver = new TemplateResolver(match.stack, env);
  const where = `Resources.${match.logicalId}.Properties`;
  const rawSubstitutions =
    match.stack.template.Resources?.[match.logicalId]?.Properties?.['DefinitionSubstitutions'];
  const substitutions: Record<string, string> = {};
  if (typeof rawSubstitutions === 'object' && rawSubstitutions !== null) {
    for (const [key, value] of Object.entries(rawSubstitutions)) {
      substitutions[key] = resolver.resolveString(
        value,
        at(at(where, 'DefinitionSubstitutions'), key),
      );
    }
  }
  const text = substitute(await definitionText(resolver, match), substitutions);
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    throw new InvalidAssemblyContentError(
      `the resolved definition of ${describeCandidate(match)} is not JSON (${(error as Error).message}); it starts with ${JSON.stringify(text.slice(0, 120))}`,
      { cause: error },
    );
  }
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw new InvalidAssemblyContentError(
      `the resolved definition of ${describeCandidate(match)} is not a JSON object`,
    );
  }
  // Taskers and functions of the whole stack family: a nested stack's state machine may use a
  // tasker of its parent or of a sibling nested stack.
  const family = stacks
    .filter((s) => s.rootArtifactId === match.stack.rootArtifactId)
    .map((s) => (s === match.stack ? resolver : new TemplateResolver(s, env)));
  const functions = family.flatMap((r) => readLambdaFunctions(r));
  return {
    definition,
    stateMachineName: resolver.physicalName(match.logicalId, `Resources.${match.logicalId}`),
    stateMachineArn: resolver.arn(match.logicalId, `Resources.${match.logicalId}`),
    logicalId: match.logicalId,
    constructPath: constructPathOf(resolver, match.logicalId),
    stackName: match.stack.stackName,
    taskers: family.flatMap((r) => readTaskers(r)),
    lambdaFunctions: Object.fromEntries(functions.map((f) => [f.logicalId, f.functionArn])),
    functions,
  };
}
