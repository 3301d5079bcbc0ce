import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { ALGORITHMS, OnlineClusterer, SPACES, intoSpace, summarizeClusters, type AlgorithmName, type OnlineClustererOptions, type Space } from '@streamvis/clusterer';
import { readOptions, stringOf, UsageError, type OptionValues } from './parse-args.js';
import { readTable, TableError, type BadRow, type Table } from './table-input.js';
import { groupedDigits } from '../grouped-digits.js';

const OPTIONS = {
  algorithm: { type: 'string' },
  k: { type: 'string' },
  'k-min': { type: 'string' },
  'k-max': { type: 'string' },
  bandwidth: { type: 'string' },
  space: { type: 'string' },
  columns: { type: 'string' },
  out: { type: 'string' },
  clusters: { type: 'string' },
  seed: { type: 'string' },
  strict: { type: 'boolean' },
} as const;

/** Bad rows listed one by one on stderr; the rest are counted. */
const LISTED_BAD_ROWS = 20;
/** Output is written in pieces of about this many characters. */
const WRITE_CHUNK = 1 << 20;

export interface CommandIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable & { isTTY?: boolean };
}

interface ClusterArgs {
  input: string;
  options: OnlineClustererOptions & { algorithm: AlgorithmName; space: Space };
  columns: string[] | undefined;
  out: string | undefined;
  clusters: string | undefined;
  strict: boolean;
}

/** `streamvis-server cluster INPUT ...`: clusters a file once and writes the labels. Returns the exit code; throws UsageError. */
export async function clusterCommand(args: readonly string[], io: CommandIO): Promise<number> {
  const parsed = parseClusterArgs(args);
  const say = (text: string) => io.stderr.write(`streamvis-server: ${text}\n`);
  const tty = io.stderr.isTTY === true;
  let table: Table;
  try {
    const input = parsed.input === '-' ? io.stdin : (await open(parsed.input)).createReadStream();
    const progress = tty ? (rows: number) => io.stderr.write(`\rstreamvis-server: read ${groupedDigits(rows)} rows`) : undefined;
    table = await readTable(input, { columns: parsed.columns, rejectZero: parsed.options.space === 'cosine', progress });
    if (tty) io.stderr.write('\r\x1b[K');
  } catch (error) {
    if (error instanceof TableError && error.usage) throw new UsageError(error.message);
    say(error instanceof TableError ? error.message : `cannot read INPUT '${parsed.input}': ${(error as Error).message}`);
    return 1;
  }
  listBadRows(table.bad, say);
  if (parsed.strict && table.bad.length > 0) {
    say(`--strict: ${table.bad.length} row(s) cannot be read; nothing written`);
    return 1;
  }
  const d = table.columns.length;
  if (tty) say(`clustering ${groupedDigits(table.n)} points of ${d} columns (${parsed.options.algorithm})...`);
  const started = performance.now();
  const clusterer = new OnlineClusterer({ ...parsed.options, frameSize: Math.max(1, table.n), columns: table.columns });
  const labels = table.n > 0 ? clusterer.pushPredict({ data: table.points, shape: [table.n, d] }).labels : [];
  const seconds = (performance.now() - started) / 1000;
  try {
    await writeTo(parsed.out, io.stdout, labelLines(table, labels));
    if (parsed.clusters !== undefined) await writeTo(parsed.clusters, io.stdout, [clusterTable(table, clusterer, labels)]);
  } catch (error) {
    say(`cannot write: ${(error as Error).message}`);
    return 1;
  }
  const snapshot = clusterer.clusters;
  const noise = labels.filter((id) => id === -1).length;
  const bandwidth = clusterer.bandwidth === undefined ? '' : `, bandwidth ${clusterer.bandwidth.toPrecision(4)}${parsed.options.bandwidth === undefined ? ' (estimated)' : ''}`;
  say(
    `${groupedDigits(table.n)} of ${groupedDigits(table.n + table.bad.length)} rows clustered on ${table.columns.join(', ')} ` +
      `(${parsed.options.algorithm}, ${parsed.options.space}${bandwidth}) in ${seconds.toFixed(2)} s: ${snapshot.ids.length} clusters` +
      (noise > 0 ? `, ${groupedDigits(noise)} noise rows (-1)` : ''),
  );
  return 0;
}

function parseClusterArgs(args: readonly string[]): ClusterArgs {
  const { values, positionals } = readOptions(args, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'cluster takes INPUT (a CSV or NDJSON file, or - for stdin)' : `cluster takes one INPUT, got ${positionals.length}`);
  const k = integerOption(values, 'k');
  const kMin = integerOption(values, 'k-min');
  const kMax = integerOption(values, 'k-max');
  const anyK = k !== undefined || kMin !== undefined || kMax !== undefined;
  const algorithmText = stringOf(values.algorithm) ?? (anyK ? 'kmeans' : 'meanshift');
  if (!ALGORITHMS.includes(algorithmText as AlgorithmName)) throw new UsageError(`--algorithm: expected kmeans or meanshift, got '${algorithmText}'`);
  const algorithm = algorithmText as AlgorithmName;
  const spaceText = stringOf(values.space) ?? 'euclidean';
  if (!SPACES.includes(spaceText as Space)) throw new UsageError(`--space: expected euclidean or cosine, got '${spaceText}'`);
  const bandwidthText = stringOf(values.bandwidth);
  const bandwidth = bandwidthText === undefined ? undefined : Number(bandwidthText);
  if (bandwidth !== undefined && !(Number.isFinite(bandwidth) && bandwidth > 0)) throw new UsageError(`--bandwidth: expected a positive number, got '${bandwidthText}'`);
  if (algorithm === 'meanshift' && anyK) throw new UsageError(`--${k !== undefined ? 'k' : kMin !== undefined ? 'k-min' : 'k-max'}: only with --algorithm kmeans (meanshift finds k itself)`);
  if (algorithm === 'kmeans' && bandwidth !== undefined) throw new UsageError('--bandwidth: only with --algorithm meanshift');
  if (k !== undefined && (kMin !== undefined || kMax !== undefined)) throw new UsageError("give '--k' or '--k-min'/'--k-max', not both");
  if (kMin !== undefined && kMax !== undefined && kMin > kMax) throw new UsageError(`--k-min ${kMin} is above --k-max ${kMax}`);
  const seed = integerOption(values, 'seed', 0) ?? 1;
  const columnsText = stringOf(values.columns);
  const columns = columnsText?.split(',');
  if (columns && (columns.some((c) => c === '') || new Set(columns).size !== columns.length)) throw new UsageError(`--columns: expected distinct column names separated by commas, got '${columnsText}'`);
  const kOptions = algorithm === 'kmeans' ? { k, kMin: k === undefined ? (kMin ?? 1) : undefined, kMax: k === undefined ? (kMax ?? Math.max(kMin ?? 1, 10)) : undefined } : {};
  return {
    input: positionals[0],
    options: { algorithm, space: spaceText as Space, seed, ...kOptions, ...(bandwidth !== undefined ? { bandwidth } : {}) },
    columns,
    out: stringOf(values.out),
    clusters: stringOf(values.clusters),
    strict: values.strict === true,
  };
}

/** An integer option at least `min` (1 unless said), or undefined when absent. */
function integerOption(values: OptionValues, name: string, min = 1): number | undefined {
  const text = stringOf(values[name]);
  if (text === undefined) return undefined;
  if (!/^[-+]?\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${name}: expected an integer ≥ ${min}, got '${text}'`);
  return Number(text);
}

function listBadRows(bad: BadRow[], say: (text: string) => void): void {
  for (const { row, line, reason } of bad.slice(0, LISTED_BAD_ROWS)) say(`row ${row} (line ${line}): ${reason}`);
  if (bad.length > LISTED_BAD_ROWS) say(`... and ${groupedDigits(bad.length - LISTED_BAD_ROWS)} more`);
  if (bad.length > 0) say(`${groupedDigits(bad.length)} row(s) cannot be read and get no label`);
}

/** The input rows with their labels, as the input's own format: CSV with a `cluster` column, or NDJSON objects with a `cluster` key. */
function* labelLines(table: Table, labels: number[]): Generator<string> {
  const labelOf = (r: number) => (table.pointOf[r] < 0 ? undefined : labels[table.pointOf[r]]);
  let chunk = table.format === 'csv' ? `${table.header},cluster\n` : '';
  for (let r = 0; r < table.rows.length; r++) {
    const label = labelOf(r);
    if (table.format === 'csv') chunk += `${table.rows[r]},${label ?? ''}\n`;
    else chunk += `${withLabel(table.rows[r], label)}\n`;
    if (chunk.length >= WRITE_CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** An NDJSON row with its `cluster` key (null: no label); a line that is not a JSON object is left as it is. */
function withLabel(text: string, label: number | undefined): string {
  try {
    const object = JSON.parse(text) as unknown;
    if (object === null || typeof object !== 'object' || Array.isArray(object)) return text;
    return JSON.stringify({ ...object, cluster: label ?? null });
  } catch {
    return text;
  }
}

/** CLUSTERS.csv: id, count, center_C and spread_C per column C, and area for 2 columns; in the space clustered (unit vectors for cosine). */
function clusterTable(table: Table, clusterer: OnlineClusterer, labels: number[]): string {
  const { ids, centers } = clusterer.clusters;
  const d = table.columns.length;
  const points = intoSpace({ data: table.points.slice(0, table.n * d), n: table.n, d }, clusterer.space, 'points');
  const indexOf = new Map(ids.map((id, c) => [id, c]));
  const summary = summarizeClusters(points, labels.map((id) => (id < 0 ? -1 : indexOf.get(id)!)), ids.length);
  const header = ['id', 'count', ...table.columns.map((c) => `center_${c}`), ...table.columns.map((c) => `spread_${c}`), ...(summary.areas ? ['area'] : [])];
  const rows = ids.map((id, c) => [
    id,
    summary.counts[c],
    ...centers[c],
    ...Array.from(summary.spreads.subarray(c * d, c * d + d)),
    ...(summary.areas ? [summary.areas[c]] : []),
  ]);
  return stringify([header, ...rows]);
}

/** Writes the pieces to `path` (a new file), or to `stdout` when there is none, minding backpressure. */
async function writeTo(path: string | undefined, stdout: Writable, pieces: Iterable<string>): Promise<void> {
  const out = path === undefined ? stdout : createWriteStream(path);
  if (path !== undefined) await once(out, 'open');
  for (const piece of pieces) if (!out.write(piece)) await once(out, 'drain');
  if (path !== undefined) {
    out.end();
    await once(out, 'finish');
  }
}
