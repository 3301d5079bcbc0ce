// Test helper: writes a large log fast, as one producer would, in big sequential writes.
import { open, type FileHandle } from 'node:fs/promises';
import { encodeRecord, type ArrayInput, type GridCell, type RecordFields } from '@streamvis/format';

export class LogWriter {
  private seq = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private constructor(
    private readonly file: FileHandle,
    private readonly run: string,
  ) {}

  static async create(path: string, run: string): Promise<LogWriter> {
    return new LogWriter(await open(path, 'a'), run);
  }

  layout(cells: Record<string, GridCell>): Promise<void> {
    return this.add({ kind: 'layout', opts: { cells } });
  }

  lines(plot: string, step: number, ys: ArrayLike<number>): Promise<void> {
    return this.add({ kind: 'lines', plot, opts: { x: step } }, [{ name: 'y', shape: [ys.length], data: Float64Array.from(ys) }]);
  }

  scatter(plot: string, x: Float64Array<ArrayBuffer>, y: Float64Array<ArrayBuffer>, color?: Float64Array<ArrayBuffer>): Promise<void> {
    const arrays: ArrayInput[] = [
      { name: 'x', shape: [x.length], data: x },
      { name: 'y', shape: [y.length], data: y },
      ...(color ? [{ name: 'color', shape: [color.length], data: color }] : []),
    ];
    return this.add({ kind: 'scatter', plot, opts: { append: false } }, arrays);
  }

  /** Lines of `points` points each: row i of `x` and `y` ([lines, points], row-major) is line i. */
  multilines(plot: string, lines: number, x: Float64Array<ArrayBuffer>, y: Float64Array<ArrayBuffer>): Promise<void> {
    const points = x.length / lines;
    return this.add({ kind: 'multilines', plot, opts: { append: false } }, [
      { name: 'x', shape: [lines, points], data: x },
      { name: 'y', shape: [lines, points], data: y },
    ]);
  }

  /** Writes what is buffered. */
  async flush(): Promise<void> {
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.file.write(chunk);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file.close();
  }

  private async add(fields: Record<string, unknown>, arrays: ArrayInput[] = []): Promise<void> {
    const frame = encodeRecord({ run: this.run, logger: 'writer', seq: this.seq++, time: Date.now(), ...fields } as RecordFields, arrays);
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    if (this.pendingBytes >= 4 << 20) await this.flush();
  }
}
