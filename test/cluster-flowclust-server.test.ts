/**
 * The flowclust example feeding the real server: streamvis-flowclust logs windows of the
 * simulated flow with logger.cluster, the streamvis-server CLI replays the log and serves
 * the clusters. Replaying the same log gives the same clusters and ids (seeded).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startNode, type NodeProcess } from './e2e/processes.js';

const FLOWCLUST_CLI = 'examples/flowclust/dist/cli.js';
const SERVER_CLI = 'packages/server/dist/cli.js';
const WINDOWS = 6;

interface Clusters {
  centers: number[][];
  counts: number[];
  ids: number[];
  columns: string[];
  noise: number;
}

const dir = mkdtempSync(join(tmpdir(), 'svflowserver-'));
const log = join(dir, 'flow.svlog');
const started: NodeProcess[] = [];

async function serve(): Promise<string> {
  const server = startNode(SERVER_CLI, ['file', '0', 'flowrun', log]);
  started.push(server);
  const [url] = await server.waitFor(/http:\/\/127\.0\.0\.1:\d+\//, 20_000);
  // The CLI serves at once and reads the log behind; these checks want all of it.
  await server.waitFor(/history read/, 20_000);
  return url;
}
const get = async (url: string, path: string) => (await fetch(new URL(path, url))).json() as Promise<Record<string, any>>;

beforeAll(() => {
  for (const file of [FLOWCLUST_CLI, SERVER_CLI]) if (!existsSync(join(REPO, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  const args = ['file', 'flowrun', log, '--windows', String(WINDOWS), '--interval', '0', '--seed', '2', '--start', '2026-01-01T00:00:00Z'];
  const result = spawnSync(process.execPath, [join(REPO, FLOWCLUST_CLI), ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`streamvis-flowclust failed: ${result.stderr}`);
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('flowclust -> log -> streamvis-server clusters', () => {
  it('serves the flow\'s clusters; each center is predicted as its own id; a replay gives the same ids', async () => {
    const url = await serve();
    expect(await get(url, '/api/health')).toMatchObject({ records: WINDOWS, errors: 0 });
    const clusters = (await get(url, '/api/runs/flowrun/plots/flow/clusters')) as Clusters;
    expect(clusters.ids.length).toBeGreaterThan(1);
    expect(clusters.counts.every((count) => count > 0)).toBe(true);
    expect(clusters.centers.every((center) => center.length === clusters.columns.length)).toBe(true);

    const response = await fetch(new URL('/api/runs/flowrun/plots/flow/predict', url), {
      method: 'POST',
      body: JSON.stringify({ points: clusters.centers }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(await response.json()).toEqual({ labels: clusters.ids });

    const csv = await (await fetch(new URL('/api/runs/flowrun/plots/flow/clusters.csv', url))).text();
    // The header, a line per cluster, and the noise line when the frame holds noise.
    expect(csv.trimEnd().split('\n')).toHaveLength(clusters.ids.length + 1 + (clusters.noise > 0 ? 1 : 0));

    const replayed = (await get(await serve(), '/api/runs/flowrun/plots/flow/clusters')) as Clusters;
    expect(replayed).toEqual(clusters);
  });
});
