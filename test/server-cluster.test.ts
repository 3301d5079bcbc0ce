/** `streamvis-server cluster INPUT ...`, the built CLI on real files: CSV with bad rows, NDJSON, stdin, usage errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adjustedRandIndex, SeededRandom } from '@streamvis/clusterer';

const cli = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const cluster = (args: string[], input?: string) => spawnSync(process.execPath, [cli, 'cluster', ...args], { encoding: 'utf8', input, timeout: 60_000 });

let dir: string;
let csv: string;
let truth: (number | undefined)[];

/** Three blobs of unequal size and spread in metres around (0,0), (40,0), (0,40); a name column with commas; some bad rows among them. */
function blobCsv(): { text: string; truth: (number | undefined)[] } {
  const rng = new SeededRandom(11);
  const centers = [[0, 0], [40, 0], [0, 40]];
  const spreads = [1, 2.5, 0.5];
  const lines = ['x_m,name,y_m'];
  const labels: (number | undefined)[] = [];
  for (let i = 0; i < 1500; i++) {
    const c = i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2;
    const [x, y] = centers[c].map((v) => v + rng.normal() * spreads[c]);
    lines.push(`${x.toFixed(4)},"point ${i}, blob ${c}",${y.toFixed(4)}`);
    labels.push(c);
  }
  // Bad rows at known places: rows 3 (non-numeric), 10 (empty), 20 (a field short).
  lines[3] = '1.5,"oops",abc';
  lines[10] = ',"no x",2';
  lines[20] = '3.2,"short"';
  for (const r of [3, 10, 20]) labels[r - 1] = undefined;
  return { text: `${lines.join('\n')}\n`, truth: labels };
}

function parseLabels(text: string): { header: string; labels: string[]; rows: string[] } {
  const lines = text.trimEnd().split('\n');
  return { header: lines[0], rows: lines.slice(1), labels: lines.slice(1).map((line) => line.slice(line.lastIndexOf(',') + 1)) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'svcluster-'));
  csv = join(dir, 'points.csv');
  const made = blobCsv();
  truth = made.truth;
  await writeFile(csv, made.text);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('streamvis-server cluster', () => {
  it('labels a CSV with bad rows: lists them on stderr, labels the rest in input order, writes the cluster table', async () => {
    const out = join(dir, 'labels.csv');
    const table = join(dir, 'clusters.csv');
    const result = cluster([csv, '--out', out, '--clusters', table]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`row 3 (line 4): column 'y_m': "abc" is not a number`);
    expect(result.stderr).toContain(`row 10 (line 11): column 'x_m' is empty`);
    expect(result.stderr).toContain('row 20 (line 21): expected 3 fields, got 2');
    expect(result.stderr).toMatch(/3 row\(s\) cannot be read and get no label/);
    expect(result.stderr).toMatch(/1,497 of 1,500 rows clustered on x_m, y_m \(meanshift, euclidean, bandwidth [\d.]+ \(estimated\)\) in [\d.]+ s: 3 clusters/);
    const { header, rows, labels } = parseLabels(await readFile(out, 'utf8'));
    expect(header).toBe('x_m,name,y_m,cluster');
    const input = (await readFile(csv, 'utf8')).trimEnd().split('\n').slice(1);
    expect(rows.map((row) => row.slice(0, row.lastIndexOf(',')))).toEqual(input);
    expect([labels[2], labels[9], labels[19]]).toEqual(['', '', '']);
    const good = truth.flatMap((c, i) => (c === undefined ? [] : [i]));
    expect(adjustedRandIndex(good.map((i) => truth[i]!), good.map((i) => Number(labels[i])))).toBeGreaterThanOrEqual(0.95);
    const clusters = (await readFile(table, 'utf8')).trimEnd().split('\n');
    expect(clusters[0]).toBe('id,count,center_x_m,center_y_m,spread_x_m,spread_y_m,area');
    const parsed = clusters.slice(1).map((line) => line.split(',').map(Number));
    expect(parsed).toHaveLength(3);
    expect(parsed.reduce((sum, row) => sum + row[1], 0)).toBe(labels.filter((l) => l !== '' && l !== '-1').length);
    // The blob at (0, 40) with σ 0.5: its center, spread and the area of its hull (a few σ across).
    const small = parsed.find((row) => row[3] > 30)!;
    expect(small[2]).toBeCloseTo(0, 0);
    expect(small[3]).toBeCloseTo(40, 0);
    expect(small[5]).toBeGreaterThan(0.4);
    expect(small[5]).toBeLessThan(0.6);
    expect(small[6]).toBeGreaterThan(1);
    expect(small[6]).toBeLessThan(Math.PI * 2 ** 2);
  });

  it('counts lines through quoted line breaks; a stray quote spoils one row, not the rest of the file', () => {
    const input = 'x,note,y\r\n1,"two\nlines",2\r\n1.2,"a ""quoted"" word",2.1\r\n2,"3"4,5\r\n\r\n1.1,plain,x\r\n1.05,last,2.05';
    const result = cluster(['-'], input);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(`row 4 (line 7): column 'y': "x" is not a number`);
    expect(result.stderr).toContain('1 row(s) cannot be read');
    const { rows, labels } = parseLabels(result.stdout);
    expect(rows).toHaveLength(6); // five rows, the first of them on two lines
    expect(rows[2]).toMatch(/^1\.2,"a ""quoted"" word",2\.1,\d+$/);
    expect(rows[3]).toMatch(/^2,"3"4,5,-?\d+$/); // the stray quote is in a column not clustered
    expect(labels[4]).toBe('');
  });

  it('gives the same output for the same input and seed, from a file or from stdin', async () => {
    for (const args of [[], ['--algorithm', 'kmeans', '--k-min', '1', '--k-max', '6', '--seed', '7']]) {
      const first = cluster([csv, ...args]);
      const again = cluster([csv, ...args]);
      const piped = cluster(['-', ...args], await readFile(csv, 'utf8'));
      expect(first.status, first.stderr).toBe(0);
      expect(again.stdout).toBe(first.stdout);
      expect(piped.stdout).toBe(first.stdout);
      expect(new Set(parseLabels(first.stdout).labels.filter((l) => l !== ''))).toEqual(new Set(['0', '1', '2']));
    }
  });

  it('lists the first 20 bad rows and counts the rest; --strict exits 1 and writes nothing', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 200; i++) lines.push(i % 5 === 0 ? `${i},x` : `${i % 7},${i % 3}`);
    const path = join(dir, 'many-bad.csv');
    await writeFile(path, lines.join('\n'));
    const result = cluster([path]);
    expect(result.status, result.stderr).toBe(0);
    const listed = result.stderr.split('\n').filter((line) => /: row \d+ \(line \d+\)/.test(line));
    expect(listed).toHaveLength(20);
    expect(result.stderr).toContain('... and 20 more');
    expect(result.stderr).toContain('40 row(s) cannot be read');
    const strict = cluster([path, '--strict', '--out', join(dir, 'strict.csv')]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('--strict: 40 row(s) cannot be read; nothing written');
    await expect(readFile(join(dir, 'strict.csv'))).rejects.toThrow(/ENOENT/);
  });

  it('reads NDJSON and writes each object back with a cluster key; cosine space groups by direction', async () => {
    const rng = new SeededRandom(5);
    const rows = Array.from({ length: 600 }, (_, i) => {
      const length = 10 ** (rng.next() * 3);
      const angle = (i % 2 ? 0.2 : 1.3) + rng.normal() * 0.03;
      return { id: `u${i}`, a: length * Math.cos(angle), b: length * Math.sin(angle) };
    });
    const result = cluster(['-', '--space', 'cosine'], `${rows.map((r) => JSON.stringify(r)).join('\n')}\n{"id":"zero","a":0,"b":0}\n`);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain("row 601 (line 601): every value is 0: no direction in cosine space");
    const back = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; cluster: number | null });
    expect(back.map((r) => r.id)).toEqual([...rows.map((r) => r.id), 'zero']);
    expect(back.at(-1)!.cluster).toBeNull();
    expect(adjustedRandIndex(rows.map((_, i) => i % 2), back.slice(0, -1).map((r) => r.cluster!))).toBe(1);
  });

  it('a usage error exits 2 with the help; a missing file exits 1 naming it', () => {
    for (const [args, message] of [
      [[], 'cluster takes INPUT'],
      [[csv, '--algorithm', 'meanshift', '--k', '3'], '--k: only with --algorithm kmeans'],
      [[csv, '--algorithm', 'kmeans', '--bandwidth', '2'], '--bandwidth: only with --algorithm meanshift'],
      [[csv, '--k', '3', '--k-max', '5'], "give '--k' or '--k-min'/'--k-max', not both"],
      [[csv, '--bandwidth', '0'], '--bandwidth: expected a positive number'],
      [[csv, '--space', 'manhattan'], '--space: expected euclidean or cosine'],
      [[csv, '--columns', 'x_m,depth'], "--columns: INPUT has no column 'depth'"],
      [[csv, '--frobnicate'], "Unknown option '--frobnicate'"],
    ] as const) {
      const result = cluster([...args]);
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('streamvis-server cluster INPUT [--algorithm kmeans|meanshift]');
    }
    const missing = cluster([join(dir, 'nope.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read INPUT '.*nope\.csv'/);
  });
});
