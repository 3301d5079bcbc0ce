import { open } from 'node:fs/promises';
import { FrameReader } from '@streamvis/format';
import { LogSummary, type LogListing } from '../inspect/log-summary.js';
import { readOptions, UsageError } from './parse-args.js';
import { groupedDigits } from '../grouped-digits.js';

const CHUNK_BYTES = 4 << 20;

/** `streamvis-server list LOG_FILE... [--json]`: prints what each log holds. Returns the exit code. */
export async function listCommand(args: readonly string[], write: (text: string) => void): Promise<number> {
  const { values, positionals } = readOptions(args, { json: { type: 'boolean' } });
  if (positionals.length === 0) throw new UsageError('list takes LOG_FILE...');
  const listings: LogListing[] = [];
  for (const path of positionals) listings.push(await listLog(path));
  write(values.json === true ? `${JSON.stringify(listings, null, 2)}\n` : listings.map(describe).join('\n'));
  return 0;
}

/** Reads the whole log in chunks and adds up what it holds. */
export async function listLog(path: string): Promise<LogListing> {
  const file = await open(path, 'r');
  try {
    const reader = new FrameReader();
    const summary = new LogSummary();
    let position = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      reader.push(chunk.subarray(0, bytesRead));
      for (const event of reader.drain()) summary.add(event);
    }
    return summary.listing(path, position, reader.pendingBytes);
  } finally {
    await file.close();
  }
}

function describe(listing: LogListing): string {
  const n = groupedDigits;
  const time = (ms: number) => new Date(ms).toISOString();
  const lines = [`${listing.path}: ${n(listing.bytes)} bytes, ${n(listing.records)} records, ${listing.runs.length} run(s)`];
  for (const run of listing.runs) {
    lines.push(`  run '${run.run}': ${n(run.records)} records from ${time(run.firstTime)} to ${time(run.lastTime)}, ${run.loggers.length} producer(s)${run.layouts ? `, ${run.layouts} layout record(s)` : ''}${run.clears ? `, ${run.clears} clear record(s)` : ''}`);
    for (const [name, plot] of Object.entries(run.plots)) {
      const steps = plot.firstStep === undefined ? '' : `, steps ${n(plot.firstStep)}-${n(plot.lastStep!)}`;
      lines.push(`    ${name} (${plot.kind}): ${n(plot.records)} records${steps}`);
    }
  }
  for (const region of listing.corrupt) lines.push(`  damaged: ${n(region.size)} bytes at byte ${n(region.offset)}: ${region.reason}`);
  if (listing.tornTail > 0) lines.push(`  torn tail: the last ${n(listing.tornTail)} bytes are not a whole record (yet)`);
  if (listing.corrupt.length === 0 && listing.tornTail === 0) lines.push('  no damage');
  return `${lines.join('\n')}\n`;
}
