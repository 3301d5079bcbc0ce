import { describe, expect, it } from 'vitest';
import { FrameQueue } from './frame-queue.js';

const frame = (byte: number, size = 10) => Buffer.alloc(size, byte);
const bytesOf = (frames: Buffer[]) => frames.map((f) => f[0]);

describe('FrameQueue', () => {
  it('takes the oldest frames first within the frame and byte limits, at least one', () => {
    const queue = new FrameQueue(1000);
    for (let i = 0; i < 5; i++) queue.push(frame(i));
    expect(bytesOf(queue.take(2, 1000))).toEqual([0, 1]);
    expect(bytesOf(queue.take(10, 15))).toEqual([2]);
    queue.push(frame(9, 100));
    expect(bytesOf(queue.take(10, 15))).toEqual([3]);
    expect(bytesOf(queue.take(10, 15))).toEqual([4]);
    expect(bytesOf(queue.take(10, 15))).toEqual([9]);
    expect([queue.length, queue.bytes]).toEqual([0, 0]);
  });

  it('puts undelivered frames back in front, in order', () => {
    const queue = new FrameQueue(1000);
    for (let i = 0; i < 4; i++) queue.push(frame(i));
    const taken = queue.take(3, 1000);
    queue.push(frame(7));
    queue.putBack(taken.slice(1));
    expect(bytesOf(queue.take(10, 1000))).toEqual([1, 2, 3, 7]);
  });

  it('drops the oldest frames beyond its byte bound and counts them', () => {
    const queue = new FrameQueue(35);
    for (let i = 0; i < 6; i++) queue.push(frame(i));
    expect(queue.dropped).toBe(3);
    expect(queue.bytes).toBe(30);
    expect(bytesOf(queue.take(10, 1000))).toEqual([3, 4, 5]);
    expect(queue.clear()).toBe(0);
  });

  it('stays correct after many takes (compaction)', () => {
    const queue = new FrameQueue(1 << 20);
    for (let i = 0; i < 5000; i++) queue.push(frame(i % 256, 1));
    const seen: number[] = [];
    while (queue.length > 0) seen.push(...bytesOf(queue.take(7, 1000)));
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i % 256));
  });
});
