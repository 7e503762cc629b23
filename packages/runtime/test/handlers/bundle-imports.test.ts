import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const handlersDir = fileURLToPath(new URL('../../src/handlers/', import.meta.url));

/** The SDK client packages a handler's bundle pulls in, as the construct bundles it. */
async function sdkClientsOf(handler: string): Promise<string[]> {
  const result = await build({
    entryPoints: [`${handlersDir}${handler}.ts`],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
  });
  const clients = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/@aws-sdk\/(client-[a-z-]+)\//.exec(input);
    if (match?.[1] !== undefined) clients.add(match[1]);
  }
  return [...clients].sort();
}

describe('handler bundles', () => {
  it.each([
    ['tasker', ['client-dynamodb', 'client-redshift-data', 'client-sfn']],
    ['completer', ['client-dynamodb', 'client-redshift-data', 'client-sfn']],
    ['reconciler', ['client-dynamodb', 'client-redshift-data', 'client-sfn']],
    ['canceller', ['client-dynamodb', 'client-redshift-data']],
  ])('bundles the %s with only the SDK clients it calls', async (handler, expected) => {
    expect(await sdkClientsOf(handler)).toEqual(expected);
  });
});
