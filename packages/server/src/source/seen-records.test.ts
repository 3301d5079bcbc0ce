import { describe, expect, it } from 'vitest';
import { SeenRecords } from './seen-records.js';

describe('SeenRecords', () => {
  it('knows each applied (logger, seq) pair, and nothing else', () => {
    const seen = new SeenRecords();
    seen.add({ logger: 'a', seq: 3 });
    seen.add({ logger: 'a', seq: 1 });
    expect(seen.has({ logger: 'a', seq: 3 })).toBe(true);
    expect(seen.has({ logger: 'a', seq: 1 })).toBe(true);
    expect(seen.has({ logger: 'a', seq: 2 })).toBe(false); // out of order still counts once it comes
    expect(seen.has({ logger: 'b', seq: 3 })).toBe(false);
  });

  it('stays bounded: old sequence numbers count as seen, the least recent logger is forgotten', () => {
    const seen = new SeenRecords(100, 2);
    for (let seq = 0; seq < 10_000; seq++) seen.add({ logger: 'a', seq });
    expect(seen.has({ logger: 'a', seq: 5 })).toBe(true);
    expect(seen.has({ logger: 'a', seq: 10_000 })).toBe(false);
    seen.add({ logger: 'b', seq: 0 });
    seen.add({ logger: 'a', seq: 10_000 });
    seen.add({ logger: 'c', seq: 0 }); // evicts b, the least recently active
    expect(seen.has({ logger: 'b', seq: 0 })).toBe(false);
    expect(seen.has({ logger: 'a', seq: 10_000 })).toBe(true);
    expect(seen.has({ logger: 'c', seq: 0 })).toBe(true);
  });
});
