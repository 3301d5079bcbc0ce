import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { FrameReader, type LogRecord } from '@streamvis/format';

/** The records of a log file that must be whole: no corrupt bytes, no torn tail. */
export function readCleanLog(path: string): LogRecord[] {
  const reader = new FrameReader();
  reader.push(readFileSync(path));
  const events = reader.drain();
  expect(events.filter((e) => e.type === 'corrupt')).toEqual([]);
  expect(reader.pendingBytes).toBe(0);
  return events.flatMap((e) => (e.type === 'record' ? [e.record] : []));
}
