// The online clusterer as it was before issue 13 (k by spherical BIC, no noise label), built
// from the commit it was last in, so a bench can run it beside today's in the same process.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The last commit of packages/clusterer before the Gaussian-mixture clusterer. */
export const BASELINE_COMMIT = 'f66b4f6';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Imports the baseline's built package, building it under bench/output/ on first use. */
export async function importBaselineClusterer() {
  const dir = fileURLToPath(new URL(`./output/clusterer-${BASELINE_COMMIT}/`, import.meta.url));
  const entry = `${dir}packages/clusterer/dist/index.js`;
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['archive', BASELINE_COMMIT, 'packages/clusterer', 'tsconfig.json'], { cwd: root, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
    // Inside the repository, so ml-kmeans resolves from its node_modules.
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${dir}packages/clusterer`], { cwd: dir, stdio: 'inherit' });
  }
  return import(pathToFileURL(entry).href);
}
