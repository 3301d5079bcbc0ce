import { describe, expect, it } from 'vitest';
import { FrameOutbox, type FramePart } from './frame-outbox.js';

/** The frames of `parts`, in order, as byte arrays. */
const framesOf = (parts: FramePart[]) =>
  parts.flatMap(({ buffer, start, lengths }) => {
    let offset = start;
    return Array.from(lengths, (length) => Array.from(new Uint8Array(buffer, (offset += length) - length, length)));
  });

describe('FrameOutbox', () => {
  it('keeps the frames in order, moving a frame with a buffer of its own and copying pooled ones', () => {
    const outbox = new FrameOutbox(1024);
    const small = [Buffer.from([1, 2]), Buffer.from([3])]; // from the Buffer pool
    const large = Buffer.allocUnsafeSlow(5000).fill(9);
    outbox.add(small[0]);
    outbox.add(large);
    outbox.add(small[1]);
    expect(outbox.bytes).toBe(5003);
    const parts = outbox.take();
    expect(framesOf(parts)).toEqual([[1, 2], Array.from(large), [3]]);
    expect(parts[1].buffer).toBe(large.buffer);
    expect(outbox.bytes).toBe(0);
    expect(outbox.take()).toEqual([]);
  });

  it('copies a large frame that shares its buffer, and starts a new chunk when one is full', () => {
    const outbox = new FrameOutbox(16);
    const shared = Buffer.alloc(100, 7).subarray(10, 40); // larger than a chunk, part of a bigger buffer
    const frames = [Buffer.from('abcdefghij'), Buffer.from('klmnop'), Buffer.from('q'), shared];
    frames.forEach((frame) => outbox.add(frame));
    const parts = outbox.take();
    expect(framesOf(parts)).toEqual(frames.map((frame) => Array.from(frame)));
    expect(parts.map((part) => Array.from(part.lengths))).toEqual([[10, 6], [1], [30]]);
    expect(parts[2].buffer).not.toBe(shared.buffer);
    // A mostly empty chunk goes as a copy of its used bytes only.
    expect(parts[1].buffer.byteLength).toBe(1);
  });

  it('drops the oldest frames, as few as free the bytes asked for, across chunks and moved frames', () => {
    const outbox = new FrameOutbox(16);
    const large = Buffer.allocUnsafeSlow(5000).fill(9);
    const frames = [Buffer.from('abcdefghij'), Buffer.from('klmnop'), large, Buffer.from('q'), Buffer.from('rs')];
    frames.forEach((frame) => outbox.add(frame));
    expect(outbox.dropOldest(11)).toBe(2); // 'abcdefghij' alone frees 10 bytes: not enough
    expect(outbox.bytes).toBe(5003);
    expect(outbox.dropOldest(1)).toBe(1);
    expect(outbox.dropOldest(0)).toBe(0);
    outbox.add(Buffer.from('t'));
    expect(framesOf(outbox.take())).toEqual([[...Buffer.from('q')], [...Buffer.from('rs')], [...Buffer.from('t')]]);
    expect(outbox.dropOldest(100)).toBe(0);
  });

  it('takes the oldest whole parts up to a byte budget, at least one', () => {
    const outbox = new FrameOutbox(16);
    const large = Buffer.allocUnsafeSlow(5000).fill(9);
    [Buffer.from('abcdefghij'), large, Buffer.from('q')].forEach((frame) => outbox.add(frame));
    expect(framesOf(outbox.take(5))).toEqual([[...Buffer.from('abcdefghij')]]);
    expect(framesOf(outbox.take(4999))).toEqual([Array.from(large)]);
    expect(outbox.bytes).toBe(1);
    expect(framesOf(outbox.take())).toEqual([[...Buffer.from('q')]]);
  });
});
