#!/usr/bin/env node
// The `stepshift` command. The package ships TypeScript sources; tsx compiles them on load so
// `npx stepshift` works right after `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
