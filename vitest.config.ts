import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@stepshift\/runtime$/, replacement: `${src('runtime')}/index.ts` },
      {
        find: /^@stepshift\/runtime\/contract$/,
        replacement: `${src('runtime')}/contract/index.ts`,
      },
      {
        find: /^@stepshift\/runtime\/handlers\/(.*?)(\.js)?$/,
        replacement: `${src('runtime')}/handlers/$1.ts`,
      },
      { find: /^@stepshift\/local$/, replacement: `${src('local')}/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
