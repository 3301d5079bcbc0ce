import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';

/** A row that cannot be clustered: where it is and why. */
export interface BadRow {
  /** 1-based among the data rows (a CSV's header is not one). */
  row: number;
  /** 1-based line of the input where the row ends. */
  line: number;
  reason: string;
}

/** The input as the cluster command needs it: every row's text, in order, and the points of the readable ones. */
export interface Table {
  format: 'csv' | 'ndjson';
  /** The CSV header line as given (undefined for NDJSON). */
  header: string | undefined;
  /** The clustered columns, in order. */
  columns: string[];
  /** The text of each row as given, without its line end; rows CSV cannot parse at all are not here (they are in `bad`). */
  rows: string[];
  /** Per row of `rows`: its point's index in `points`, or -1 for a bad row. */
  pointOf: Int32Array;
  /** n × columns.length, the readable rows' values in order. */
  points: Float64Array;
  n: number;
  bad: BadRow[];
}

export interface TableOptions {
  /** The columns to cluster; default: those whose values in the first rows are mostly numbers. */
  columns?: string[];
  /** Rows of length 0 are bad (cosine space: no direction). */
  rejectZero: boolean;
  /** Called every `PROGRESS_ROWS` rows with the count so far. */
  progress?: (rows: number) => void;
}

/** Thrown for input the command cannot cluster at all (a missing column, no numeric column). */
export class TableError extends Error {
  override name = 'TableError';
  constructor(message: string, readonly usage = false) {
    super(message);
  }
}

/** Rows looked at to choose the default columns. */
const SNIFF_ROWS = 100;
const PROGRESS_ROWS = 100_000;
const LABEL_COLUMN = 'cluster';
/** A decimal number as CSV files write them (no hex, no Infinity, no blanks). */
const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * Reads a CSV with a header row, or NDJSON of objects (told apart by the
 * first character: `{`), from `input`. Rows with a missing or non-numeric
 * value in a clustered column are kept (as text) and listed in `bad`.
 */
export async function readTable(input: Readable, options: TableOptions): Promise<Table> {
  input.setEncoding('utf8');
  const chunks = input[Symbol.asyncIterator]();
  const first = await chunks.next();
  const head = first.done ? '' : String(first.value);
  const rest = (async function* () {
    if (!first.done) yield first.value as string;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value as string;
    }
  })();
  const builder = new TableBuilder(options);
  if (/^\uFEFF?\s*\{/.test(head)) await readNdjson(rest, builder);
  else await readCsv(rest, builder);
  return builder.table();
}

/** One row's fields by column name: what a reader hands the builder. */
interface Fields {
  get(column: string): unknown;
  has(column: string): boolean;
}

class TableBuilder {
  format: 'csv' | 'ndjson' = 'csv';
  header: string | undefined;
  private available: string[] = [];
  private columns: string[] | undefined;
  private rows: string[] = [];
  private pointOf: number[] = [];
  private values: number[] = [];
  private n = 0;
  private bad: BadRow[] = [];
  private rowCount = 0;
  /** Rows held back until the default columns are chosen. */
  private pending: { text: string; line: number; fields: Fields | undefined; reason?: string; row: number }[] = [];

  constructor(private readonly options: TableOptions) {}

  /** The input's column names (CSV header, or keys as NDJSON rows bring them). */
  setColumns(names: string[]): void {
    if (names.includes(LABEL_COLUMN)) throw new TableError(`INPUT already has a column '${LABEL_COLUMN}': cluster writes its labels there`);
    this.available = names;
  }

  addKeys(keys: string[]): void {
    if (keys.includes(LABEL_COLUMN)) throw new TableError(`INPUT already has a key '${LABEL_COLUMN}': cluster writes its labels there`);
    for (const key of keys) if (!this.available.includes(key)) this.available.push(key);
  }

  /** A row; `fields` undefined with `reason` for a row that could not be split into fields. `text` undefined: not kept. */
  add(text: string | undefined, line: number, fields: Fields | undefined, reason?: string): void {
    const row = ++this.rowCount;
    if (text === undefined) {
      this.bad.push({ row, line, reason: reason ?? 'unreadable' });
      return;
    }
    if (this.columns === undefined) {
      this.pending.push({ text, line, fields, reason, row });
      if (this.pending.length >= SNIFF_ROWS) this.choose();
    } else {
      this.take(text, line, fields, reason, row);
    }
    if (this.options.progress && row % PROGRESS_ROWS === 0) this.options.progress(row);
  }

  table(): Table {
    if (this.columns === undefined) this.choose();
    return {
      format: this.format,
      header: this.header,
      columns: this.columns!,
      rows: this.rows,
      pointOf: Int32Array.from(this.pointOf),
      points: Float64Array.from(this.values),
      n: this.n,
      bad: this.bad.sort((a, b) => a.row - b.row),
    };
  }

  private choose(): void {
    const given = this.options.columns;
    if (this.format === 'csv' && this.header === undefined) throw new TableError('INPUT is empty: expected a CSV header row, or NDJSON objects');
    if (given !== undefined) {
      const missing = given.filter((c) => !this.available.includes(c));
      if (missing.length > 0 && this.format === 'csv') {
        throw new TableError(`--columns: INPUT has no column ${missing.map((c) => `'${c}'`).join(', ')} (it has ${this.available.map((c) => `'${c}'`).join(', ')})`, true);
      }
      this.columns = given;
    } else {
      const sniffed = this.pending.filter((p) => p.fields !== undefined && p.reason === undefined).map((p) => p.fields!);
      this.columns = this.available.filter((c) => {
        const present = sniffed.filter((f) => f.has(c) && f.get(c) !== '' && f.get(c) !== null);
        // Most, not all: a stray word in a column of numbers is a bad row, not a reason to drop the column.
        return present.filter((f) => numberOf(f.get(c)) !== undefined).length > present.length / 2;
      });
      if (this.columns.length === 0 && (this.pending.length > 0 || this.format === 'csv')) {
        throw new TableError(`INPUT has no column of numbers in its first rows${this.available.length ? ` (it has ${this.available.map((c) => `'${c}'`).join(', ')})` : ''}: name the columns with --columns`);
      }
    }
    for (const p of this.pending) this.take(p.text, p.line, p.fields, p.reason, p.row);
    this.pending = [];
  }

  private take(text: string, line: number, fields: Fields | undefined, reason: string | undefined, row: number): void {
    this.rows.push(text);
    const problem = reason ?? (fields ? this.read(fields) : 'unreadable');
    if (problem !== undefined) {
      this.pointOf.push(-1);
      this.bad.push({ row, line, reason: problem });
      // Values read before the problem was found are dropped.
      this.values.length = this.n * this.columns!.length;
      return;
    }
    this.pointOf.push(this.n++);
  }

  /** Appends the row's values; returns why it cannot, if it cannot. */
  private read(fields: Fields): string | undefined {
    let length = 0;
    const noun = this.format === 'csv' ? 'column' : 'key';
    for (const c of this.columns!) {
      if (!fields.has(c)) return `${noun} '${c}' is missing`;
      const raw = fields.get(c);
      if (raw === '' || raw === null) return `${noun} '${c}' is empty`;
      const value = numberOf(raw);
      if (value === undefined) return `${noun} '${c}': ${JSON.stringify(raw)} is not a number`;
      this.values.push(value);
      length += value * value;
    }
    if (this.options.rejectZero && length === 0) return 'every value is 0: no direction in cosine space';
    return undefined;
  }
}

function numberOf(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw === 'string' && NUMBER.test(raw)) return Number(raw);
  return undefined;
}

async function readCsv(input: AsyncIterable<string>, builder: TableBuilder): Promise<void> {
  // Lines are counted from each record's raw text: csv-parse's own `info` would do it at three times the cost.
  // relax_quotes: a stray quote (2,"3"4) makes one bad field, not a quote that swallows the rest of the file.
  const parser = parse({ bom: true, raw: true, relax_column_count: true, relax_quotes: true, skip_records_with_error: true, record_delimiter: ['\r\n', '\n'] });
  let header: string[] | undefined;
  let index = new Map<string, number>();
  let line = 0;
  // A record csv-parse cannot read is reported by an event, ahead of the records before it still queued:
  // each waits for its place, known by the count of records read before it.
  const skipped: { records: number; lines: number; message: string }[] = [];
  parser.on('skip', (error: Error & { lines?: number; records?: number }) => skipped.push({ records: error.records ?? 0, lines: error.lines ?? 0, message: error.message }));
  let records = 0;
  const takeSkipped = (upTo: number) => {
    while (skipped.length > 0 && skipped[0].records <= upTo) {
      const { lines, message } = skipped.shift()!;
      line = Math.max(line, lines);
      builder.add(undefined, line, undefined, `not CSV (${message.replace(/ at line \d+.*$/, '')}); left out of the labels`);
    }
  };
  const feeding = (async () => {
    try {
      for await (const chunk of input) if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    takeSkipped(records++);
    for (let at = raw.indexOf('\n'); at >= 0; at = raw.indexOf('\n', at + 1)) line++;
    if (!raw.endsWith('\n')) line++; // the last line, without a line end
    const text = raw.replace(/\r?\n?$/, ''); // csv-parse's raw of a CRLF record ends in its \r only
    if (record.length === 1 && record[0] === '' && text.trim() === '') continue; // an empty line
    if (header === undefined) {
      header = record;
      builder.header = text;
      builder.setColumns(record);
      index = new Map(record.map((name, i) => [name, i]));
      continue;
    }
    const fields: Fields = { get: (c) => record[index.get(c)!], has: (c) => index.has(c) && index.get(c)! < record.length };
    const reason = record.length !== header.length ? `expected ${header.length} fields, got ${record.length}` : undefined;
    builder.add(text, line, fields, reason);
  }
  await feeding;
  takeSkipped(Infinity);
}

async function readNdjson(input: AsyncIterable<string>, builder: TableBuilder): Promise<void> {
  builder.format = 'ndjson';
  let line = 0;
  let carry = '';
  const take = (text: string) => {
    line++;
    const trimmed = text.replace(/\r$/, '').replace(line === 1 ? /^\uFEFF/ : /^$/, '');
    if (trimmed.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      builder.add(trimmed, line, undefined, `not JSON: ${(error as Error).message}`);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      builder.add(trimmed, line, undefined, 'not a JSON object');
      return;
    }
    const object = value as Record<string, unknown>;
    builder.addKeys(Object.keys(object));
    builder.add(trimmed, line, { get: (c) => object[c], has: (c) => Object.hasOwn(object, c) });
  };
  for await (const chunk of input) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop()!;
    for (const text of lines) take(text);
  }
  if (carry !== '') take(carry);
}
