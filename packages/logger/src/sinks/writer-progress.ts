/**
 * How far the file sink's writer thread has got, in shared memory: the producer thread can
 * read it, and wait on it, in the middle of a synchronous logging call, where no message
 * from the writer could reach it.
 */
export class WriterProgress {
  /** [0]: bytes of frames written so far; [1]: 1 once the writer thread has exited; [2]: 1 while its writes fail. */
  private readonly slots: BigInt64Array;

  constructor(readonly buffer = new SharedArrayBuffer(3 * BigInt64Array.BYTES_PER_ELEMENT)) {
    this.slots = new BigInt64Array(buffer);
  }

  /** Writer side: `bytes` more of the posted frames are in the file. */
  addWritten(bytes: number): void {
    Atomics.add(this.slots, WRITTEN, BigInt(bytes));
    Atomics.notify(this.slots, WRITTEN);
  }

  /** Writer side, as its thread exits (even by a crash): nobody waits for it any more. */
  markGone(): void {
    Atomics.store(this.slots, GONE, 1n);
    Atomics.notify(this.slots, WRITTEN);
  }

  /** Writer side: whether its last attempt to open or write the log failed. */
  setFailing(failing: boolean): void {
    if (Atomics.exchange(this.slots, FAILING, failing ? 1n : 0n) !== (failing ? 1n : 0n)) Atomics.notify(this.slots, WRITTEN);
  }

  failing(): boolean {
    return Atomics.load(this.slots, FAILING) === 1n;
  }

  written(): number {
    return Number(Atomics.load(this.slots, WRITTEN));
  }

  gone(): boolean {
    return Atomics.load(this.slots, GONE) === 1n;
  }

  /** Blocks the calling thread until more than `seen` bytes are written, the writer's state changes, or `timeoutMs` passes. */
  waitBeyond(seen: number, timeoutMs: number): void {
    Atomics.wait(this.slots, WRITTEN, BigInt(seen), timeoutMs);
  }

  /** Resolves once more than `seen` bytes are written or the writer's state changes, without blocking the thread. */
  async beyond(seen: number): Promise<void> {
    const result = Atomics.waitAsync(this.slots, WRITTEN, BigInt(seen));
    if (result.async) await result.value;
  }
}

const WRITTEN = 0;
const GONE = 1;
const FAILING = 2;
