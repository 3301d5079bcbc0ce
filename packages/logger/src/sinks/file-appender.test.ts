import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeRecord, FrameReader } from '@streamvis/format';
import { FileAppender, type AppendFunction } from './file-appender.js';
import type { SinkReport } from './sink.js';

const dir = mkdtempSync(join(tmpdir(), 'svappender-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function frame(seq: number, logger = 'L') {
  const n = 100 + seq;
  return encodeRecord({ run: 'r', logger, seq, time: 0, kind: 'lines', plot: 'p', opts: { x: seq } }, [{ name: 'y', shape: [n], data: new Float64Array(n).fill(seq) }]);
}

function readLog(path: string) {
  const reader = new FrameReader();
  reader.push(readFileSync(path));
  const events = reader.drain();
  return {
    records: events.flatMap((e) => (e.type === 'record' ? [`${e.record.header.logger}${e.record.header.seq}`] : [])),
    corrupt: events.filter((e) => e.type === 'corrupt'),
    tornBytes: reader.pendingBytes,
  };
}

/**
 * The real writev, except that its first call writes only half the bytes (landing inside a
 * frame) and reports that short count, and its second throws ENOSPC: what a disk filling up
 * during a write does. `between` runs after the short write (another writer appending, say).
 */
function fillingDisk(between: () => void = () => undefined): AppendFunction {
  let calls = 0;
  return async (handle, buffers) => {
    calls++;
    if (calls === 1) {
      const all = Buffer.concat(buffers);
      const half = Math.floor(all.length / 2);
      const { bytesWritten } = await handle.write(all.subarray(0, half));
      between();
      return { bytesWritten };
    }
    if (calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return handle.writev(buffers);
  };
}

async function settle(appender: FileAppender): Promise<SinkReport> {
  for (;;) {
    const report = await appender.flush();
    if (report.pending === 0) return report;
  }
}

describe('FileAppender after a short write', () => {
  it('cuts the torn frame off before writing it again whole: the log has every record once and no stray bytes', async () => {
    const path = join(dir, 'short.svlog');
    const errors: string[] = [];
    const appender = new FileAppender({ name: 'test', path, onError: (e) => errors.push(e.message), writev: fillingDisk() });
    for (let seq = 0; seq < 10; seq++) appender.write(frame(seq));
    expect(await settle(appender)).toMatchObject({ delivered: 10, dropped: 0, pending: 0, errors: 2 });
    await appender.close();
    expect(errors[0]).toMatch(/^short write to .*: \d+ of \d+ bytes written; the cut frame's \d+ bytes were removed/);
    expect(errors[1]).toMatch(/ENOSPC/);
    expect(readLog(path)).toEqual({ records: Array.from({ length: 10 }, (_, seq) => `L${seq}`), corrupt: [], tornBytes: 0 });
  });

  it("leaves the torn bytes when another writer has appended after them: never cuts another's record", async () => {
    const path = join(dir, 'shared.svlog');
    const errors: string[] = [];
    const otherWriter = () => {
      const fd = openSync(path, 'a');
      writeSync(fd, frame(0, 'other'));
      closeSync(fd);
    };
    const appender = new FileAppender({ name: 'test', path, onError: (e) => errors.push(e.message), writev: fillingDisk(otherWriter) });
    for (let seq = 0; seq < 10; seq++) appender.write(frame(seq));
    expect(await settle(appender)).toMatchObject({ delivered: 10, pending: 0 });
    await appender.close();
    expect(errors[0]).toMatch(/the cut frame's \d+ bytes stay: another writer appended after them/);
    const { records, corrupt, tornBytes } = readLog(path);
    // Readers skip the torn copy (one corrupt run) and find every record, ours and the other writer's.
    expect(corrupt).toHaveLength(1);
    expect(tornBytes).toBe(0);
    expect(records.filter((r) => r.startsWith('L'))).toEqual(Array.from({ length: 10 }, (_, seq) => `L${seq}`));
    expect(records).toContain('other0');
  });
});
