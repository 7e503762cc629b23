import { resolve } from 'node:path';
import { TemplateResolver } from './template-resolver.js';
import { UnresolvableIntrinsicError } from './errors.js';
import type { LambdaFunctionInfo } from './types.js';

const LAMBDA_FUNCTION = 'AWS::Lambda::Function';
/** Resource metadata the CDK CLI writes for a resource built from an asset. */
const ASSET_PATH_METADATA = 'aws:asset:path';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The construct path of a resource without its trailing `/Resource` (`EtlStack/Publish`). */
export function constructPathOf(resolver: TemplateResolver, logicalId: string): string | undefined {
  return resolver.stack.paths.get(logicalId)?.replace(/\/Resource$/, '');
}

/**
 * Reads one `AWS::Lambda::Function`. With `strict`, an environment variable that cannot be
 * resolved is an error; otherwise it is left out and named in `unresolvedEnvironment`.
 */
export function readLambdaFunction(
  resolver: TemplateResolver,
  logicalId: string,
  strict: boolean,
): LambdaFunctionInfo {
  const resource = resolver.stack.template.Resources?.[logicalId];
  const where = `Resources.${logicalId}`;
  const properties = resource?.Properties ?? {};
  const functionName = resolver.physicalName(logicalId, where);
  const environment: Record<string, string> = {};
  const unresolvedEnvironment: string[] = [];
  const variables = isObject(properties['Environment'])
    ? properties['Environment']['Variables']
    : undefined;
  if (isObject(variables)) {
    for (const [name, raw] of Object.entries(variables)) {
      try {
        environment[name] = resolver.resolveString(
          raw,
          `${where}.Properties.Environment.Variables.${name}`,
        );
      } catch (error) {
        if (strict || !(error instanceof UnresolvableIntrinsicError)) throw error;
        unresolvedEnvironment.push(name);
      }
    }
  }
  const handler = typeof properties['Handler'] === 'string' ? properties['Handler'] : undefined;
  const runtime = typeof properties['Runtime'] === 'string' ? properties['Runtime'] : undefined;
  const concurrency = properties['ReservedConcurrentExecutions'];
  const reservedConcurrency =
    concurrency === undefined
      ? undefined
      : Number(resolver.resolve(concurrency, `${where}.Properties.ReservedConcurrentExecutions`));
  let codeAssetPath: string | undefined;
  const assetMetadata = resource?.Metadata?.[ASSET_PATH_METADATA];
  if (typeof assetMetadata === 'string') {
    codeAssetPath = resolve(resolver.stack.directory, assetMetadata);
  } else if (isObject(properties['Code']) && properties['Code']['S3Key'] !== undefined) {
    const key = resolver.resolve(properties['Code']['S3Key'], `${where}.Properties.Code.S3Key`);
    codeAssetPath = typeof key === 'string' ? resolver.stack.assets.get(key) : undefined;
  }
  return {
    logicalId,
    constructPath: constructPathOf(resolver, logicalId),
    functionName,
    functionArn: resolver.arn(logicalId, where),
    handler,
    runtime,
    codeAssetPath,
    reservedConcurrency: Number.isFinite(reservedConcurrency) ? reservedConcurrency : undefined,
    environment,
    unresolvedEnvironment,
  };
}

/** Every Lambda function of the resolver's stack, in template order. */
export function readLambdaFunctions(resolver: TemplateResolver): LambdaFunctionInfo[] {
  return Object.entries(resolver.stack.template.Resources ?? {})
    .filter(([, r]) => r.Type === LAMBDA_FUNCTION)
    .map(([logicalId]) => readLambdaFunction(resolver, logicalId, false));
}
