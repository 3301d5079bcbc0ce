import type { SeqGap } from '../protocol.js';
import { groupedDigits } from '../grouped-digits.js';

/** What identifies a record: the DataLogger instance and its sequence number (0, 1, 2, ... per logger). */
export interface RecordId {
  logger: string;
  seq: number;
}

/** What noting a record told about its logger's sequence. */
export type Noted =
  /** The first record of a logger: nothing is known of the records before it. */
  | { type: 'first' }
  /** The record after the last one. */
  | { type: 'next' }
  /** Noted before. */
  | { type: 'duplicate' }
  /** The sequence jumped: `gap` is what was skipped. */
  | { type: 'jump'; gap: SeqGap }
  /** A record skipped earlier arrived after all; `reported` when it was in a jump (not before the first record). */
  | { type: 'late'; reported: boolean };

// The answers without details, made once: most records are the next of their logger.
const FIRST: Noted = Object.freeze({ type: 'first' });
const NEXT: Noted = Object.freeze({ type: 'next' });
const DUPLICATE: Noted = Object.freeze({ type: 'duplicate' });

interface MissingRange {
  from: number;
  to: number;
  /** From a jump; a range before a logger's first record is not (that history was simply never seen). */
  reported: boolean;
}

interface LoggerLedger {
  /** Every seq below it has been noted, except those in `missing`. */
  next: number;
  /** Disjoint, ascending. */
  missing: MissingRange[];
}

/**
 * Per logger, which sequence numbers have arrived: exactly, in little memory (the next
 * expected one and the ranges skipped), for de-duplication and for telling a gap (a jump
 * of the sequence) and its filling by late records. Bounded: at most `maxRanges` skipped
 * ranges per logger (the oldest then count as arrived) and `maxLoggers` loggers (the
 * least recently active forgotten first).
 */
export class SeqLedger {
  private readonly loggers = new Map<string, LoggerLedger>();
  /** The logger noted last, already the most recently active: its next records need no reordering. */
  private latest: string | undefined;

  constructor(
    private readonly maxLoggers = 1024,
    private readonly maxRanges = 1000,
  ) {}

  /** Whether the record has been noted. */
  has({ logger, seq }: RecordId): boolean {
    const known = this.loggers.get(logger);
    return known !== undefined && seq < known.next && indexIn(known.missing, seq) < 0;
  }

  note({ logger, seq }: RecordId): Noted {
    let known = this.loggers.get(logger);
    if (known) {
      if (logger !== this.latest) {
        this.loggers.delete(logger); // re-inserted: Map order is least recently active first
        this.loggers.set(logger, known);
        this.latest = logger;
      }
    } else {
      if (this.loggers.size >= this.maxLoggers) this.loggers.delete(this.loggers.keys().next().value!);
      known = { next: seq + 1, missing: seq > 0 ? [{ from: 0, to: seq - 1, reported: false }] : [] };
      this.loggers.set(logger, known);
      this.latest = logger;
      return FIRST;
    }
    if (seq === known.next) {
      known.next++;
      return NEXT;
    }
    if (seq > known.next) {
      const gap = { logger, from: known.next, to: seq - 1 };
      known.missing.push({ from: gap.from, to: gap.to, reported: true });
      if (known.missing.length > this.maxRanges) known.missing.shift();
      known.next = seq + 1;
      return { type: 'jump', gap };
    }
    const index = indexIn(known.missing, seq);
    if (index < 0) return DUPLICATE;
    const range = known.missing[index];
    const rest: MissingRange[] = [];
    if (range.from < seq) rest.push({ ...range, to: seq - 1 });
    if (seq < range.to) rest.push({ ...range, from: seq + 1 });
    known.missing.splice(index, 1, ...rest);
    return { type: 'late', reported: range.reported };
  }

  /** The reported gaps still open, oldest first within each logger. */
  gaps(): SeqGap[] {
    return [...this.loggers].flatMap(([logger, known]) => known.missing.filter((r) => r.reported).map(({ from, to }) => ({ logger, from, to })));
  }
}

/** The index of the range holding `seq`, or -1 (binary search: ranges are disjoint and ascending). */
function indexIn(ranges: readonly MissingRange[], seq: number): number {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle];
    if (seq < range.from) high = middle - 1;
    else if (seq > range.to) low = middle + 1;
    else return middle;
  }
  return -1;
}

/** "records 2,859-8,000 of logger L" or "record 5 of logger L". */
export function describeGap({ logger, from, to }: SeqGap): string {
  const n = groupedDigits;
  return from === to ? `record ${n(from)} of logger ${logger}` : `records ${n(from)}-${n(to)} of logger ${logger}`;
}
