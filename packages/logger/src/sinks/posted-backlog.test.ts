import { describe, expect, it } from 'vitest';
import { PostedBacklog } from './posted-backlog.js';

describe('PostedBacklog', () => {
  it('counts the bytes not yet written and knows since when the oldest of them waits', () => {
    const backlog = new PostedBacklog();
    expect([backlog.unwritten(0), backlog.oldestSince()]).toEqual([0, undefined]);
    backlog.add(100, 1);
    backlog.add(50, 2);
    backlog.add(10, 3);
    expect([backlog.unwritten(0), backlog.oldestSince()]).toEqual([160, 1]);
    // A post written in part still waits, from its oldest frame's time.
    expect([backlog.unwritten(120), backlog.oldestSince()]).toEqual([40, 2]);
    expect([backlog.unwritten(150), backlog.oldestSince()]).toEqual([10, 3]);
    expect([backlog.unwritten(160), backlog.oldestSince()]).toEqual([0, undefined]);
  });

  it('stays correct over many posts (compaction)', () => {
    const backlog = new PostedBacklog();
    for (let i = 0; i < 1000; i++) {
      backlog.add(1, i);
      expect(backlog.unwritten(i)).toBe(1);
      expect(backlog.oldestSince()).toBe(i);
    }
  });
});
