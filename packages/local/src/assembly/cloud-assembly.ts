import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CloudAssemblyNotFoundError, InvalidAssemblyContentError } from './errors.js';

/** A CloudFormation template, as far as the reader looks into it. */
export interface Template {
  readonly Parameters?: Record<string, { readonly Default?: unknown; readonly Type?: string }>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources?: Record<string, TemplateResource>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly Condition?: string;
}

/** One stack of the assembly, its template loaded. */
export interface AssemblyStack {
  /** The artifact id in `manifest.json` (`EtlStack`, `Stage-EtlStack`). */
  readonly artifactId: string;
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The template file, for error messages. */
  readonly templateFile: string;
  readonly template: Template;
  /** Logical id → construct path (`EtlStack/EtlMachine/Resource`). */
  readonly paths: ReadonlyMap<string, string>;
  /** S3 object key of a file asset (`<hash>.zip`) → its absolute path in the assembly. */
  readonly assets: ReadonlyMap<string, string>;
  /** Absolute path of the assembly directory holding this stack. */
  readonly directory: string;
  /** Artifact id of the top-level stack this one belongs to (itself, or a nested stack's root). */
  readonly rootArtifactId: string;
  /** For a nested stack (`AWS::CloudFormation::Stack`): its parent and the parameter values it passes. */
  readonly parent?: NestedStackParent | undefined;
}

export interface NestedStackParent {
  readonly stack: AssemblyStack;
  /** Logical id of the `AWS::CloudFormation::Stack` resource in the parent. */
  readonly logicalId: string;
  /** Its `Parameters` property, unresolved (resolved against the parent's template). */
  readonly parameters: Readonly<Record<string, unknown>>;
}

interface ManifestArtifact {
  readonly type?: string;
  readonly properties?: Record<string, unknown>;
  readonly metadata?: Record<string, readonly { type?: string; data?: unknown }[]>;
  readonly additionalMetadataFile?: string;
  readonly displayName?: string;
}

interface Manifest {
  readonly artifacts?: Record<string, ManifestArtifact>;
}

const STACK_ARTIFACT = 'aws:cloudformation:stack';
const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
const ASSET_MANIFEST_ARTIFACT = 'cdk:asset-manifest';
const LOGICAL_ID_METADATA = 'aws:cdk:logicalId';
const NESTED_STACK = 'AWS::CloudFormation::Stack';
/** CloudFormation's limit on stack names; nested stack names are generated from the parent's. */
const MAX_STACK_NAME = 128;
/** Metadata key the CDK CLI writes on each resource (`aws:cdk:path`). */
export const PATH_METADATA = 'aws:cdk:path';

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CloudAssemblyNotFoundError(
      `cannot read ${what} ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidAssemblyContentError(
      `${what} ${file} is not JSON: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function addLogicalIds(
  paths: Map<string, string>,
  metadata: Record<string, readonly { type?: string; data?: unknown }[]> | undefined,
): void {
  for (const [path, entries] of Object.entries(metadata ?? {})) {
    for (const entry of entries) {
      if (
        entry.type === LOGICAL_ID_METADATA &&
        typeof entry.data === 'string' &&
        !paths.has(entry.data)
      ) {
        paths.set(entry.data, path.replace(/^\//, ''));
      }
    }
  }
}

async function readAssets(
  directory: string,
  artifacts: Record<string, ManifestArtifact>,
): Promise<Map<string, string>> {
  const assets = new Map<string, string>();
  for (const artifact of Object.values(artifacts)) {
    const file = artifact.properties?.['file'];
    if (artifact.type !== ASSET_MANIFEST_ARTIFACT || typeof file !== 'string') continue;
    const manifest = await readJson(join(directory, file), 'asset manifest');
    const files = isObject(manifest) && isObject(manifest['files']) ? manifest['files'] : {};
    for (const [hash, entry] of Object.entries(files)) {
      if (
        !isObject(entry) ||
        !isObject(entry['source']) ||
        typeof entry['source']['path'] !== 'string'
      )
        continue;
      const path = resolve(directory, entry['source']['path']);
      const destinations = isObject(entry['destinations'])
        ? Object.values(entry['destinations'])
        : [];
      for (const d of destinations) {
        if (isObject(d) && typeof d['objectKey'] === 'string') assets.set(d['objectKey'], path);
      }
      assets.set(hash, path);
    }
  }
  return assets;
}

async function readAssembly(
  directory: string,
  prefix: string,
  stacks: AssemblyStack[],
): Promise<void> {
  const manifest = (await readJson(
    join(directory, 'manifest.json'),
    'cloud assembly manifest',
  )) as Manifest;
  const artifacts = manifest.artifacts ?? {};
  const assets = await readAssets(directory, artifacts);
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === NESTED_ASSEMBLY_ARTIFACT) {
      const nested = artifact.properties?.['directoryName'];
      if (typeof nested === 'string')
        await readAssembly(join(directory, nested), `${prefix}${artifactId}/`, stacks);
      continue;
    }
    if (artifact.type !== STACK_ARTIFACT) continue;
    const templateFile = artifact.properties?.['templateFile'];
    if (typeof templateFile !== 'string') {
      throw new InvalidAssemblyContentError(
        `stack ${artifactId} in ${join(directory, 'manifest.json')} has no templateFile`,
      );
    }
    const template = (await readJson(join(directory, templateFile), 'template')) as Template;
    const paths = new Map<string, string>();
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const path = resource.Metadata?.[PATH_METADATA];
      if (typeof path === 'string') paths.set(logicalId, path);
    }
    addLogicalIds(paths, artifact.metadata);
    if (artifact.additionalMetadataFile !== undefined) {
      const extra = await readJson(
        join(directory, artifact.additionalMetadataFile),
        'stack metadata',
      );
      if (isObject(extra))
        addLogicalIds(paths, extra as Record<string, readonly { type?: string; data?: unknown }[]>);
    }
    const stackName = artifact.properties?.['stackName'];
    const stack: AssemblyStack = {
      artifactId: `${prefix}${artifactId}`,
      stackName: typeof stackName === 'string' ? stackName : artifactId,
      templateFile: join(directory, templateFile),
      template,
      paths,
      assets,
      directory,
      rootArtifactId: `${prefix}${artifactId}`,
    };
    stacks.push(stack);
    await readNestedStacks(stack, stacks);
  }
}

/** Every string inside a value (the literal parts of an `Fn::Join`, say). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isObject(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * The nested stacks of `parent` (CDK `NestedStack`): their templates are file assets of the
 * assembly, named by the last part of the resource's `TemplateURL`.
 */
async function readNestedStacks(parent: AssemblyStack, stacks: AssemblyStack[]): Promise<void> {
  for (const [logicalId, resource] of Object.entries(parent.template.Resources ?? {})) {
    if (resource.Type !== NESTED_STACK) continue;
    const key = stringsIn(resource.Properties?.['TemplateURL'])
      .map((s) => s.split('/').at(-1) ?? '')
      .find((s) => parent.assets.has(s));
    const file = key === undefined ? undefined : parent.assets.get(key);
    if (file === undefined) continue; // a stack deployed from elsewhere: nothing to read here
    const template = (await readJson(file, 'nested stack template')) as Template;
    // `Parent/Child.NestedStack/Child.NestedStackResource` -> `Parent/Child/`
    const resourcePath = parent.paths.get(logicalId);
    const nestedPath = resourcePath?.replace(/\/([^/]+)\.NestedStack\/[^/]+$/, '/$1/');
    const paths = new Map<string, string>();
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      const path = r.Metadata?.[PATH_METADATA];
      if (typeof path === 'string') paths.set(id, path);
    }
    if (nestedPath !== undefined) {
      for (const [id, path] of parent.paths) {
        if (path.startsWith(nestedPath) && template.Resources?.[id] && !paths.has(id))
          paths.set(id, path);
      }
    }
    const parameters = resource.Properties?.['Parameters'];
    const nested: AssemblyStack = {
      artifactId: `${parent.artifactId}/${logicalId}`,
      stackName: `${parent.stackName}-${logicalId}`.slice(0, MAX_STACK_NAME),
      templateFile: file,
      template,
      paths,
      assets: parent.assets,
      directory: parent.directory,
      rootArtifactId: parent.rootArtifactId,
      parent: { stack: parent, logicalId, parameters: isObject(parameters) ? parameters : {} },
    };
    stacks.push(nested);
    await readNestedStacks(nested, stacks);
  }
}

/** Reads every stack of a cloud assembly (`cdk.out`), nested stage assemblies and nested stacks included. */
export async function readCloudAssembly(cdkOutDir: string): Promise<AssemblyStack[]> {
  const directory = resolve(cdkOutDir);
  const info = await stat(directory).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CloudAssemblyNotFoundError(
      `${directory} is not a directory: give the cloud assembly directory that \`cdk synth\` writes (cdk.out by default)`,
    );
  }
  const manifest = join(directory, 'manifest.json');
  if (!(await stat(manifest).catch(() => undefined))?.isFile()) {
    throw new CloudAssemblyNotFoundError(
      `${manifest} is missing: ${directory} is not a cloud assembly; run \`cdk synth\` (or \`cdk synth -o DIR\`) and give its output directory`,
    );
  }
  const stacks: AssemblyStack[] = [];
  await readAssembly(directory, '', stacks);
  return stacks;
}
