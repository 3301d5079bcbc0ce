import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { crc32Shift } from './crc32-shift.js';
import { MAGIC, payloadCrcAt, prefixFrameBytes, PREFIX_BYTES } from './prefix.js';

// heap-js is CommonJS: require() loads it as it is, where an ES import of CommonJS first has
// Node compile its WebAssembly export lexer, about 6 MiB of resident memory for the life of
// every process that loads this package (the server, a training script with a logger).
const { Heap } = createRequire(import.meta.url)('heap-js') as typeof import('heap-js');

/** Work a reader did, in bytes: what its cost is measured by (tests and benchmarks). */
export interface ScanCost {
  /** Bytes run through CRC-32 (prefixes and payloads). */
  checksummed: number;
  /** Bytes searched for the magic. */
  searched: number;
  /** Header bytes decoded (parsed as JSON, or read as a binary header). */
  parsed: number;
}

/** The bytes a reader holds: stream positions `base` to `base + bytes.length`. */
export interface StreamWindow {
  bytes: Buffer;
  base: number;
}

/** A stream position whose 20 bytes are a valid prefix: a frame may start there. */
interface Candidate {
  at: number;
  end: number;
  /** The payload CRC-32 the prefix announces. */
  crc: number;
  /** The frontier's running CRC where the payload starts, once passed. */
  before: number;
  /** Whether the payload's CRC matches, once the frontier has passed the end. */
  sound: boolean | undefined;
}

/**
 * Finds which frames in a stream are sound (both checksums hold) with one pass over the
 * bytes, however the frames that prefixes announce overlap: a damaged or hostile stream
 * can hold a valid prefix every few bytes, each announcing a frame that covers the rest,
 * and checksumming each of those separately costs the square of the length.
 *
 * The frontier moves forward only. Passing a magic, it checks the prefix there (a
 * candidate); passing a candidate's payload start, it notes the running CRC-32; passing
 * its end, the payload's CRC is the running value then, minus the noted one moved past
 * the payload (crc32Shift). While no candidate is between its payload start and end, the
 * running value restarts from 0 and bytes are not checksummed at all.
 */
export class ChecksumFrontier {
  position: number;
  private running = 0;
  /** Candidates between their payload start and their end. */
  private open = 0;
  /** Candidates in stream order; those before `first` are behind the reader. */
  private candidates: Candidate[] = [];
  private first = 0;
  /** Index of the first candidate whose payload start the frontier has not reached. */
  private nextPayload = 0;
  private readonly ends = new Heap<Candidate>((a, b) => a.end - b.end);
  private readonly sound = new Heap<Candidate>((a, b) => a.at - b.at);
  /** No magic starts in [start, clearTo) but the candidates discovered; one starts at clearTo when `magicAhead`. */
  private clearTo: number;
  private magicAhead = false;

  constructor(
    private readonly window: StreamWindow,
    private readonly cost: ScanCost,
    start: number,
  ) {
    this.position = this.clearTo = start;
  }

  /**
   * Whether the frame at `at`, a valid prefix ending at `end` within the window, is sound.
   * The frontier must not be past `at` unless it saw `at` on the way.
   */
  isSound(at: number, end: number): boolean {
    this.advanceTo(end);
    return this.candidateAt(at).sound === true;
  }

  /** The first sound frame starting after `at` in the window, if any. */
  firstSoundAfter(at: number): number | undefined {
    this.advanceTo(Infinity);
    while ((this.sound.peek()?.at ?? Infinity) <= at) this.sound.pop();
    return this.sound.peek()?.at;
  }

  private get limit(): number {
    return this.window.base + this.window.bytes.length;
  }

  /** Moves the frontier to `target` or as far toward it as the window allows. */
  private advanceTo(target: number): void {
    const stopAt = Math.min(target, this.limit);
    while (this.position < stopAt) {
      // A magic in the window's last 3 bytes is found once more bytes arrive, maybe just behind the frontier.
      const magic = this.nextMagic();
      const payload = this.nextPayload < this.candidates.length ? this.candidates[this.nextPayload].at + PREFIX_BYTES : Infinity;
      const stop = Math.min(Math.max(magic, this.position), payload, this.ends.peek()?.end ?? Infinity, stopAt);
      this.checksumTo(stop);
      while (this.nextPayload < this.candidates.length && this.candidates[this.nextPayload].at + PREFIX_BYTES === stop) {
        this.candidates[this.nextPayload++].before = this.running;
        this.open++;
      }
      while (this.ends.peek()?.end === stop) this.resolve(this.ends.pop()!);
      // Nobody needs the bytes checksummed so far: restart from 0 (and skip bytes until someone does).
      if (this.open === 0) this.running = 0;
      // A magic at the target is left for later: the reader may be done with the frontier there.
      if (magic <= stop && magic < stopAt && !this.discover(magic)) return;
    }
  }

  /** Moves the frontier forward to `stop` (never back), checksumming the bytes passed if a candidate needs them. */
  private checksumTo(stop: number): void {
    if (stop <= this.position) return;
    if (this.open > 0) {
      const { bytes, base } = this.window;
      this.running = crc32(bytes.subarray(this.position - base, stop - base), this.running);
      this.cost.checksummed += stop - this.position;
    }
    this.position = stop;
  }

  private resolve(candidate: Candidate): void {
    const payloadBytes = candidate.end - candidate.at - PREFIX_BYTES;
    candidate.sound = ((this.running ^ crc32Shift(candidate.before, payloadBytes)) >>> 0) === candidate.crc;
    this.open--;
    if (candidate.sound) this.sound.push(candidate);
  }

  /**
   * Notes the magic at `at` (at the frontier, or up to 3 bytes behind it) as a candidate if
   * its prefix is valid; false when its prefix is not in the window yet.
   */
  private discover(at: number): boolean {
    const { bytes, base } = this.window;
    if (at + PREFIX_BYTES > this.limit) return false;
    this.cost.checksummed += 16;
    const frameBytes = prefixFrameBytes(bytes, at - base);
    if (frameBytes >= 0) {
      // Its payload starts past the frontier: the window held less than its prefix when the frontier went by.
      const candidate: Candidate = { at, end: at + frameBytes, crc: payloadCrcAt(bytes, at - base), before: 0, sound: undefined };
      this.candidates.push(candidate);
      this.ends.push(candidate);
    }
    this.checksumTo(at + 1);
    this.magicAhead = false;
    this.clearTo = at + 1;
    return true;
  }

  /** The next magic not yet discovered, or Infinity when none can start in the window but its last 3 bytes. */
  private nextMagic(): number {
    if (this.magicAhead) return this.clearTo;
    const { bytes, base } = this.window;
    // Bytes before the window are behind the reader: a magic there no longer matters.
    this.clearTo = Math.max(this.clearTo, base);
    const found = bytes.indexOf(MAGIC, this.clearTo - base);
    this.cost.searched += (found >= 0 ? base + found + MAGIC.length : this.limit) - this.clearTo;
    if (found >= 0) {
      this.clearTo = base + found;
      this.magicAhead = true;
      return this.clearTo;
    }
    this.clearTo = Math.max(this.clearTo, this.limit - MAGIC.length + 1);
    return Infinity;
  }

  /** The candidate at `at`, which the frontier has passed. */
  private candidateAt(at: number): Candidate {
    let [low, high] = [this.first, this.candidates.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.candidates[middle].at < at) low = middle + 1;
      else high = middle;
    }
    const candidate = this.candidates[low];
    if (candidate?.at !== at) throw new Error(`internal: no candidate at ${at}`);
    this.forgetBefore(low);
    return candidate;
  }

  /** Drops candidates the reader has moved past (their entries in the heaps go when popped). */
  private forgetBefore(index: number): void {
    this.first = Math.max(this.first, Math.min(index, this.nextPayload));
    if (this.first > 1024 && this.first * 2 > this.candidates.length) {
      this.candidates = this.candidates.slice(this.first);
      this.nextPayload -= this.first;
      this.first = 0;
    }
  }
}
