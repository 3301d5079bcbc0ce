import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  ArgumentError,
  callOptions,
  checkAxis,
  checkLayout,
  checkInteger,
  checkName,
  checkOptional,
  checkRecordName,
  checkOptionsObject,
  describe,
  parseAppendOptions,
  parseClearOptions,
  type LookOptions,
  parseClusterOptions,
  parseSeriesOptions,
  checkFinite,
  type LinesOptions,
  RECORD_KINDS,
  recordHeader,
  RecordEncoder,
  type ArrayDescriptor,
  type EncodedFrames,
  type FrameForms,
  type KindSchema,
  type ArrayInput,
  type ClusterOptions,
  type GridCell,
  type RecordFields,
  type RecordHeader,
  type TypedArray,
} from '@streamvis/format';
import { ColorSpec } from './color-spec.js';
import { multiLineColumns, writeScatterColumns } from './columns.js';
import { GridSpec } from './grid-spec.js';
import { checkAllFinite, readNdArray, toNdArray, type DataInput, type Floats, type NdArray } from './ndarray.js';
import { openFileSink } from './sinks/file-sink.js';
import type { HttpSinkOptions } from './sinks/http-sink.js';
import type { PubsubSinkOptions } from './sinks/pubsub-sink.js';
import { checkOnFull, RecordsDropped, type OnFull, type Sink, type SinkReport } from './sinks/sink.js';

export interface ScatterCallOptions extends LookOptions {
  /** Axis of `data` holding x, y (and the colour value when `color` has no `dim`). */
  spatialDim: number;
  /** true adds the points to the plot; false replaces its data. */
  append: boolean;
  /** Points the plot keeps. */
  rollover?: number;
  grid?: GridSpec;
  color?: ColorSpec;
}

export interface TandemLinesCallOptions extends LookOptions {
  palette?: string;
  rollover?: number;
}

export interface MultiLinesCallOptions extends LookOptions {
  /** Lays slices along `grid.dim` out side by side, as `scatter` does. */
  grid?: GridSpec;
  /**
   * Colours each line from the ColorSpec's palette by one value per line (a colour bar shows
   * the scale): its index along `color.dim`, which must be one of `lineDims`; or, without a
   * dim, the third entry of the spatial axis (x, y, colour value), the same at every point of a line.
   */
  color?: ColorSpec;
  /** Axes of `data` that enumerate lines; the other non-spatial axes enumerate each line's points. */
  lineDims: number[];
  spatialDim: number;
  append: boolean;
  rollover?: number;
  palette?: string;
}

export type ClusterCallOptions = ClusterOptions;

export interface DataLoggerOptions {
  /**
   * What a logging call does when a sink's buffer is full because records come faster than
   * it delivers them: 'block' (the default) waits for room, so nothing is lost and the
   * producer slows to the disk's pace; 'drop-oldest' never waits, gives up on the oldest
   * records waiting and emits an 'error' (a SinkError with `dropped`) from that very call.
   * Pub/Sub publishing needs the event loop a blocked call would hold, so the Pub/Sub sink
   * drops, and says so, in either mode (see its `maxBufferedBytes`).
   */
  onFull?: OnFull;
}

/** File sink settings besides the path. */
export interface WriteLogOptions {
  /** Bytes of records not yet written the sink holds at most (default 256 MiB); see DataLoggerOptions.onFull. */
  maxBufferedBytes?: number;
}

/** Pub/Sub sink settings besides project and topic (e.g. `apiEndpoint` of an emulator). */
export type PubsubInitOptions = Omit<PubsubSinkOptions, 'project' | 'topic' | 'run' | 'onError'>;
export type HttpInitOptions = Omit<HttpSinkOptions, 'url' | 'run' | 'onError'>;

/** What `flush()` and `shutdown()` resolve to. */
export interface LoggerReport {
  run: string;
  logger: string;
  /** Records made by this logger. */
  records: number;
  sinks: SinkReport[];
}

/** A sink could not deliver: the records stay buffered and are retried, unless `dropped` says it gave up on some just now. */
export class SinkError extends Error {
  override name = 'SinkError';
  /** Records given up on by this failure (0: none, all are kept); the reports' `dropped` counts them too. */
  readonly dropped: number;
  constructor(readonly sink: string, cause: Error) {
    super(`${sink}: ${cause.message}`, { cause });
    this.dropped = cause instanceof RecordsDropped ? cause.dropped : 0;
  }
}

type Common = 'run' | 'logger' | 'seq' | 'time';
type KindFields = RecordFields extends infer F ? (F extends unknown ? Omit<F, Common> : never) : never;

/**
 * The producer's handle: validates each call, encodes it as one record and hands it to
 * every sink. Bad arguments throw at the call; sink failures are emitted as 'error'
 * events (or warned about once on stderr when nobody listens) and never thrown.
 */
export class DataLogger extends EventEmitter<{ error: [error: SinkError] }> {
  readonly run: string;
  /** Random id of this instance; with `seq`, identifies each record. */
  readonly id = randomBytes(8).toString('hex');
  private seq = 0;
  private readonly sinks: Sink[] = [];
  /** The last layout record, so a sink attached later receives it too. */
  private layout?: { plots: ReadonlySet<string>; frame: Buffer; header: RecordHeader };
  private readonly lineCounts = new Map<string, number>();
  /** Encodes in format version 2: each plot declared once per stream, referred to after. */
  private readonly encoder = new RecordEncoder(this.id);
  /** The frames the sinks want; without sinks the cheapest, still made for the checks it runs. */
  private forms: FrameForms = { streamed: true, selfContained: false };
  private closing?: Promise<LoggerReport>;
  private warned = false;
  private readonly onFull: OnFull;

  constructor(run: string, options: DataLoggerOptions = {}) {
    super();
    this.run = checkRecordName(run, 'DataLogger(run)');
    const { onFull = 'block' } = checkOptionsObject<DataLoggerOptions>(options, 'DataLogger(options)');
    this.onFull = checkOnFull(onFull, 'DataLogger(options.onFull)');
  }

  async initWriteLog(path: string, options: WriteLogOptions = {}): Promise<void> {
    this.checkOpen('initWriteLog');
    checkName(path, 'initWriteLog(path)');
    const { maxBufferedBytes } = checkOptionsObject<WriteLogOptions>(options, 'initWriteLog(options)');
    checkOptional(maxBufferedBytes, 'initWriteLog(options.maxBufferedBytes)', (value, where) => checkInteger(value, where, 1));
    this.addSink(await openFileSink({ path, maxBufferedBytes, onFull: this.onFull, onError: this.onSinkError }));
  }

  async initPubsub(project: string, topic: string, options: PubsubInitOptions = {}): Promise<void> {
    this.checkOpen('initPubsub');
    checkName(project, 'initPubsub(project)');
    checkName(topic, 'initPubsub(topic)');
    // Loaded on demand: the Pub/Sub client takes most of a second to import, which file-only producers need not pay.
    const { openPubsubSink } = await import('./sinks/pubsub-sink.js');
    this.addSink(await openPubsubSink({ ...options, project, topic, run: this.run, onError: this.onSinkError }));
  }

  /**
   * Sends every record to a streamvis server started with `--ingest` (POST
   * /api/runs/RUN/records), buffered and retried like the other sinks. `url` is the server's
   * address as it prints it (a `?token=` in it is used); `options.token` gives one otherwise.
   */
  async initHttp(url: string, options: HttpInitOptions = {}): Promise<void> {
    this.checkOpen('initHttp');
    checkName(url, 'initHttp(url)');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ArgumentError(`initHttp(url): expected an http:// or https:// address, got ${describe(url)}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ArgumentError(`initHttp(url): expected an http:// or https:// address, got ${describe(url)}`);
    const { token, maxBufferedBytes, flushTimeoutMs } = checkOptionsObject<HttpInitOptions>(options, 'initHttp(options)');
    checkOptional(token, 'initHttp(options.token)', (value, where) => checkName(value, where));
    checkOptional(maxBufferedBytes, 'initHttp(options.maxBufferedBytes)', (value, where) => checkInteger(value, where, 1));
    checkOptional(flushTimeoutMs, 'initHttp(options.flushTimeoutMs)', (value, where) => checkInteger(value, where, 0));
    const { openHttpSink } = await import('./sinks/http-sink.js');
    this.addSink(openHttpSink({ ...options, url, run: this.run, onError: this.onSinkError }));
  }

  /**
   * Adds a destination of your own for every record from now on (and the current layout).
   * It gets each encoded frame; see `Sink` for what it must and must not do.
   */
  addSink(sink: Sink): void {
    this.checkOpen('addSink');
    const valid = typeof sink === 'object' && sink !== null && typeof sink.name === 'string' && ['write', 'flush', 'close'].every((m) => typeof (sink as unknown as Record<string, unknown>)[m] === 'function');
    if (!valid) throw new ArgumentError(`addSink(sink): expected a Sink with a name and write, flush and close methods, got ${describe(sink)}`);
    this.attach(sink);
  }

  /** Places plots on the page: plot -> [top, left, height, width] grid cells. Afterwards only these plots may be used. */
  setLayout(cells: Record<string, GridCell>): void {
    this.checkOpen('setLayout');
    const checked = checkLayout(cells, 'setLayout(cells)');
    const record = this.encode('setLayout', { kind: 'layout', opts: { cells: checked } }, { arrays: [] });
    this.seq++;
    // A copy: the sinks own the frames they are given.
    // A layout record always declares, so any of its frames reads alone.
    this.layout = { plots: new Set(Object.keys(checked)), frame: Buffer.from(record.frames.selfContained ?? record.frames.streamed!), header: record.header };
    this.broadcast(record);
  }

  /**
   * Empties the plots named (all of the run's when none are named) on every server: a
   * producer that restarts calls it first, so its new data is not drawn after the old.
   * The layout stays.
   */
  clear(plots?: readonly string[]): void {
    this.checkOpen('clear');
    const opts = parseClearOptions(plots === undefined ? {} : { plots }, (field) => (field === undefined ? 'clear()' : `clear(${field})`));
    const record = this.encode('clear', { kind: 'clear', opts }, { arrays: [] });
    this.seq++;
    this.broadcast(record);
  }

  scatter(plot: string, data: DataInput, options: ScatterCallOptions): void {
    this.checkOpen('scatter');
    this.checkPlot(plot, 'scatter(plot)');
    const fields = checkOptionsObject<ScatterCallOptions>(options, 'scatter(options)');
    const { spatialDim, grid, color } = fields;
    // Checked for finite values while the columns are written, below: one pass over the data.
    const nd = readNdArray(data, 'scatter(data)');
    const s = checkAxis(spatialDim, nd.shape.length, 'scatter(options.spatialDim)');
    // The options parsed where they are (the parser reads only its own fields): no copy per call.
    const opts = parseAppendOptions(fields, SCATTER_OPTIONS);
    if (grid !== undefined) checkSliceAxis(grid, GridSpec, nd, s, 'grid');
    if (color !== undefined) checkSliceAxis(color, ColorSpec, nd, s, 'color');
    const coords = color !== undefined && color.dim === undefined ? 3 : 2;
    if (nd.shape[s] !== coords) {
      const want = coords === 3 ? '3 (x, y, colour value: ColorSpec without dim)' : '2 (x, y)';
      throw new ArgumentError(`scatter(data): axis spatialDim=${s} has size ${nd.shape[s]}, expected ${want}; data shape is [${nd.shape.join(', ')}]`);
    }
    const shape = [nd.data.length / coords];
    const dtype = nd.data instanceof Float32Array ? 'float32' : 'float64';
    const slots = (color ? ['x', 'y', 'color'] : ['x', 'y']).map((name): ArrayDescriptor => ({ name, dtype, shape }));
    const fill = (columns: TypedArray[]) => {
      const [x, y, values] = columns as Floats[];
      if (!writeScatterColumns(nd, s, values ? { x, y, color: values } : { x, y }, grid, color)) checkAllFinite(nd, 'scatter(data)');
    };
    if (color) opts.palette = color.palette;
    this.send('scatter', { kind: 'scatter', plot, opts }, { slots, fill });
  }

  /** Adds one point (step, ys[i]) to each of the plot's lines; the number of lines is fixed by the first call. */
  tandemLines(plot: string, step: number, ys: DataInput, options: TandemLinesCallOptions = {}): void {
    this.checkOpen('tandemLines');
    this.checkPlot(plot, 'tandemLines(plot)');
    // The options checked where they are, with the step added, not copied into a new object: this is the call a training loop makes every step.
    const fields = checkOptionsObject<Record<string, unknown>>(options, 'tandemLines(options)');
    const opts = parseSeriesOptions<LinesOptions>(fields, TANDEM_LINES_OPTIONS, { x: checkFinite(step, 'tandemLines(step)') });
    const nd = toNdArray(ys, 'tandemLines(ys)');
    const lines = nd.shape[0];
    const known = this.lineCounts.get(plot);
    // Checked once the record is known to be a valid lines record (y of shape [M]).
    const sameLines = () => {
      if (known !== undefined && known !== lines) throw new ArgumentError(`tandemLines(ys): plot '${plot}' has ${known} lines, got ${lines} values`);
    };
    this.send('tandemLines', { kind: 'lines', plot, opts }, { arrays: [{ name: 'y', shape: nd.shape, data: nd.data }] }, sameLines);
    this.lineCounts.set(plot, lines);
  }

  multiLines(plot: string, data: DataInput, options: MultiLinesCallOptions): void {
    this.checkOpen('multiLines');
    this.checkPlot(plot, 'multiLines(plot)');
    const fields = checkOptionsObject<MultiLinesCallOptions>(options, 'multiLines(options)');
    const { lineDims, spatialDim, palette, grid, color } = fields;
    const nd = toNdArray(data, 'multiLines(data)');
    const s = checkAxis(spatialDim, nd.shape.length, 'multiLines(options.spatialDim)');
    if (!Array.isArray(lineDims)) throw new ArgumentError(`multiLines(options.lineDims): expected a list of axes, got ${describe(lineDims)}`);
    lineDims.forEach((d, i) => {
      checkAxis(d, nd.shape.length, 'multiLines(options.lineDims)');
      if (d === s) throw new ArgumentError(`multiLines(options.lineDims): axis ${d} is the spatialDim`);
      if (lineDims.indexOf(d) !== i) throw new ArgumentError(`multiLines(options.lineDims): axis ${d} is listed twice`);
    });
    if (grid !== undefined) checkSliceAxis(grid, GridSpec, nd, s, 'grid', 'multiLines');
    if (color !== undefined) checkLineColor(color, nd, s, lineDims, palette);
    const coords = color !== undefined && color.dim === undefined ? 3 : 2;
    if (nd.shape[s] !== coords) {
      const want = coords === 3 ? '3 (x, y, colour value: ColorSpec without dim)' : '2 (x, y)';
      throw new ArgumentError(`multiLines(data): axis spatialDim=${s} has size ${nd.shape[s]}, expected ${want}`);
    }
    // The ColorSpec's palette is the record's palette, in the place the parser gives it (the header's bytes are the Python logger's too).
    const opts = parseAppendOptions(color ? { ...fields, palette: color.palette } : fields, MULTI_LINES_OPTIONS);
    const columns = multiLineColumns(nd, s, lineDims, grid, color);
    const shape = [columns.lines, columns.points];
    const arrays = [{ name: 'x', shape, data: columns.x }, { name: 'y', shape, data: columns.y }];
    if (columns.color) arrays.push({ name: 'color', shape: [columns.lines], data: columns.color });
    this.send('multiLines', { kind: 'multilines', plot, opts }, { arrays });
  }

  /** Sends [N, D] points to the server's online clusterer for `plot`. */
  cluster(plot: string, points: DataInput, options: ClusterCallOptions): void {
    this.checkOpen('cluster');
    this.checkPlot(plot, 'cluster(plot)');
    const opts = parseClusterOptions(options, callOptions('cluster'));
    const nd = toNdArray(points, 'cluster(points)');
    if (nd.shape.length !== 2 || nd.shape[1] === 0) {
      throw new ArgumentError(`cluster(points): expected [N, D] points, got shape [${nd.shape.join(', ')}]`);
    }
    if (opts.columns.length !== nd.shape[1]) {
      throw new ArgumentError(`cluster(options.columns): ${opts.columns.length} names for points with D = ${nd.shape[1]}`);
    }
    this.send('cluster', { kind: 'cluster', plot, opts }, { arrays: [{ name: 'points', shape: nd.shape, data: nd.data }] });
  }

  /** Resolves once every sink has delivered (or given up on) every record so far. */
  async flush(): Promise<LoggerReport> {
    return this.report(await Promise.all(this.sinks.map((sink) => sink.flush())));
  }

  /** Flushes and closes every sink; the logger takes no more calls. Records still undeliverable are counted as dropped. */
  shutdown(): Promise<LoggerReport> {
    this.closing ??= Promise.all(this.sinks.map((sink) => sink.close())).then((reports) => this.report(reports));
    return this.closing;
  }

  private attach(sink: Sink): void {
    this.sinks.push(sink);
    // One frame for every sink: a log written beside Pub/Sub holds the very bytes of the messages. Only when every
    // sink is a streamed one (a log file, blocking) do frames refer to earlier declarations.
    const streamed = this.sinks.every((s) => s.streamed === true);
    this.forms = { streamed, selfContained: !streamed };
    // The new sink's reader starts here: every plot must be declared again in it.
    if (sink.streamed) this.encoder.restart();
    if (this.layout) this.deliver(sink, Buffer.from(this.layout.frame), this.layout.header);
  }

  /**
   * Encodes the call's record, checked with its kind's schema (and `check`, for what the
   * logger knows beyond one record), numbers it and hands it to every sink. A call that
   * fails a check throws and takes no number.
   */
  private send(method: string, fields: KindFields, body: RecordBody, check?: () => void): void {
    const record = this.encode(method, fields, body, check);
    this.seq++;
    this.broadcast(record);
  }

  /** The next record, checked by the kind's schema and `check`; `seq` is not advanced. */
  private encode(method: string, fields: KindFields, body: RecordBody, check?: () => void): EncodedRecord {
    const arrays = 'fill' in body ? body.slots : body.arrays;
    const header = recordHeader({ run: this.run, logger: this.id, seq: this.seq, time: Date.now(), ...fields } as RecordFields, arrays);
    // The reader's own rule for the kind's arrays: the logger never writes a record a reader rejects.
    const schema = RECORD_KINDS[header.kind] as unknown as KindSchema<unknown>;
    schema.arrays(header.arrays, header.opts, () => `${method}(${ARRAY_ARGUMENT[header.kind]})`);
    // Before the encoder, which counts each record it encodes as written: a record it declares, then refused, would leave the next one referring to nothing.
    check?.();
    const fill = 'fill' in body ? body.fill : (columns: TypedArray[]) => body.arrays.forEach(({ data }, i) => columns[i].set(data));
    let frames: EncodedFrames;
    try {
      frames = this.encoder.encode(header, fill, this.forms);
    } catch (error) {
      // Besides a bad value found while filling, only the size limits can fail here:
      // too many points, or options too long for a header.
      if (!(error instanceof RangeError)) throw error;
      throw new ArgumentError(`${method}(): ${error.message}`);
    }
    return { frames, header };
  }

  /** Each sink owns the frame it is given (the file sink moves it to its writer thread), so all but the last get a copy. */
  private broadcast({ frames, header }: EncodedRecord): void {
    const frame = (frames.streamed ?? frames.selfContained)!;
    const last = this.sinks.length - 1;
    this.sinks.forEach((sink, i) => this.deliver(sink, i === last ? frame : Buffer.from(frame), header));
  }

  private deliver(sink: Sink, frame: Buffer, header: RecordHeader): void {
    try {
      sink.write(frame, header);
    } catch (error) {
      this.onSinkError(error instanceof Error ? error : new Error(String(error)), sink.name);
    }
  }

  private readonly onSinkError = (error: Error, sink: string): void => {
    const reported = new SinkError(sink, error);
    if (this.listenerCount('error') > 0) {
      this.emit('error', reported);
    } else if (!this.warned) {
      this.warned = true;
      process.stderr.write(`streamvis logger '${this.run}': ${reported.message} (records are kept and retried; listen to 'error' on the DataLogger for every failure)\n`);
    }
  };

  private checkOpen(method: string): void {
    if (this.closing) throw new Error(`DataLogger.${method}(): the logger is shut down`);
  }

  private checkPlot(plot: string, where: string): void {
    checkRecordName(plot, where);
    if (this.layout && !this.layout.plots.has(plot)) {
      throw new ArgumentError(`${where}: plot '${plot}' is not in the layout (${[...this.layout.plots].join(', ')})`);
    }
  }

  private report(sinks: SinkReport[]): LoggerReport {
    return { run: this.run, logger: this.id, records: this.seq, sinks };
  }
}

// Made once: the namers of each call's options, for its error messages.
const SCATTER_OPTIONS = callOptions('scatter');
const TANDEM_LINES_OPTIONS = callOptions('tandemLines');
const MULTI_LINES_OPTIONS = callOptions('multiLines');

/** The call argument each kind's arrays come from, for the schema's error messages. */
const ARRAY_ARGUMENT: Record<RecordHeader['kind'], string> = { layout: 'cells', clear: 'plots', scatter: 'data', lines: 'ys', multilines: 'data', cluster: 'points' };

interface EncodedRecord {
  frames: EncodedFrames;
  header: RecordHeader;
}

/** A record's arrays: given whole, or described and written straight into the frame by `fill`. */
type RecordBody = { arrays: readonly ArrayInput[] } | { slots: readonly ArrayDescriptor[]; fill: (arrays: TypedArray[]) => void };

/** A multiLines ColorSpec: a line is drawn in one colour, so a `dim` must enumerate lines; its palette is the lines' palette. */
function checkLineColor(color: ColorSpec, nd: NdArray, spatialDim: number, lineDims: readonly number[], palette: string | undefined): void {
  checkSliceAxis(color, ColorSpec, nd, spatialDim, 'color', 'multiLines');
  if (color.dim !== undefined && !lineDims.includes(color.dim)) {
    throw new ArgumentError(`multiLines(options.color.dim): axis ${color.dim} enumerates the points of each line; a line is drawn in one colour, so give one of lineDims (${lineDims.join(', ')})`);
  }
  if (palette !== undefined) throw new ArgumentError('multiLines(options.palette): give the palette in the ColorSpec (options.color) or in options.palette, not both');
}

/** A GridSpec/ColorSpec instance whose `dim`, when given, is an axis of the data other than the spatial one. */
function checkSliceAxis(spec: unknown, kind: typeof GridSpec | typeof ColorSpec, nd: NdArray, spatialDim: number, option: string, method = 'scatter'): void {
  const where = `${method}(options.${option})`;
  if (!(spec instanceof kind)) throw new ArgumentError(`${where}: expected a ${kind.name}, got ${describe(spec)}`);
  if (spec.dim === undefined) return;
  checkAxis(spec.dim, nd.shape.length, `${method}(options.${option}.dim)`);
  if (spec.dim === spatialDim) throw new ArgumentError(`${where}: dim ${spec.dim} is the spatialDim; it must be another axis`);
}
