import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@streamvis/format': src('./packages/format/src/index.ts'),
      '@streamvis/logger': src('./packages/logger/src/index.ts'),
      '@streamvis/clusterer': src('./packages/clusterer/src/index.ts'),
      '@streamvis/server': src('./packages/server/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
