#!/usr/bin/env node
// Builds the live page's browser code: type-checks src/view/client (its own tsconfig:
// DOM types, no Node) and bundles it with esbuild into dist/view/client.js, which the
// server serves as /static/client.js. The root `npm run build` runs this after tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const clientDir = `${packageDir}src/view/client`;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

try {
  execFileSync(process.execPath, [tsc, '-p', `${clientDir}/tsconfig.json`], { stdio: 'inherit' });
} catch {
  console.error('build-client: the browser client does not type-check');
  process.exit(1);
}

await build({
  entryPoints: [`${clientDir}/main.ts`],
  outfile: `${packageDir}dist/view/client.js`,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
