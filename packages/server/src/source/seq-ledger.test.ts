import { describe, expect, it } from 'vitest';
import { describeGap, SeqLedger } from './seq-ledger.js';

describe('SeqLedger', () => {
  it('knows each noted (logger, seq) pair, and nothing else', () => {
    const ledger = new SeqLedger();
    expect(ledger.note({ logger: 'a', seq: 0 })).toEqual({ type: 'first' });
    expect(ledger.note({ logger: 'a', seq: 1 })).toEqual({ type: 'next' });
    expect(ledger.note({ logger: 'a', seq: 1 })).toEqual({ type: 'duplicate' });
    expect(ledger.has({ logger: 'a', seq: 1 })).toBe(true);
    expect(ledger.has({ logger: 'a', seq: 2 })).toBe(false);
    expect(ledger.has({ logger: 'b', seq: 0 })).toBe(false);
    expect(ledger.gaps()).toEqual([]);
  });

  it('reports a jump as a gap, and shrinks it as late records fill it', () => {
    const ledger = new SeqLedger();
    ledger.note({ logger: 'a', seq: 0 });
    expect(ledger.note({ logger: 'a', seq: 8_001 })).toEqual({ type: 'jump', gap: { logger: 'a', from: 1, to: 8_000 } });
    expect(ledger.has({ logger: 'a', seq: 500 })).toBe(false);
    expect(ledger.note({ logger: 'a', seq: 500 })).toEqual({ type: 'late', reported: true });
    expect(ledger.note({ logger: 'a', seq: 500 })).toEqual({ type: 'duplicate' });
    expect(ledger.note({ logger: 'a', seq: 1 })).toEqual({ type: 'late', reported: true });
    expect(ledger.note({ logger: 'a', seq: 8_000 })).toEqual({ type: 'late', reported: true });
    expect(ledger.gaps()).toEqual([
      { logger: 'a', from: 2, to: 499 },
      { logger: 'a', from: 501, to: 7_999 },
    ]);
    for (let seq = 2; seq < 8_000; seq++) ledger.note({ logger: 'a', seq });
    expect(ledger.gaps()).toEqual([]);
    expect(ledger.note({ logger: 'a', seq: 8_002 })).toEqual({ type: 'next' });
  });

  it('takes a first record beyond 0 as where the logger was joined, not as a gap; earlier ones still count once', () => {
    const ledger = new SeqLedger();
    expect(ledger.note({ logger: 'a', seq: 100 })).toEqual({ type: 'first' });
    expect(ledger.gaps()).toEqual([]);
    expect(ledger.has({ logger: 'a', seq: 99 })).toBe(false);
    expect(ledger.note({ logger: 'a', seq: 99 })).toEqual({ type: 'late', reported: false });
    expect(ledger.has({ logger: 'a', seq: 99 })).toBe(true);
  });

  it('stays bounded: the oldest skipped ranges count as arrived, the least recent logger is forgotten', () => {
    const ledger = new SeqLedger(2, 3);
    ledger.note({ logger: 'a', seq: 0 });
    for (let i = 1; i <= 5; i++) ledger.note({ logger: 'a', seq: 2 * i });
    expect(ledger.gaps().map((g) => g.from)).toEqual([5, 7, 9]);
    expect(ledger.has({ logger: 'a', seq: 1 })).toBe(true);
    ledger.note({ logger: 'b', seq: 0 });
    ledger.note({ logger: 'a', seq: 11 });
    ledger.note({ logger: 'c', seq: 0 }); // evicts b, the least recently active
    expect(ledger.has({ logger: 'b', seq: 0 })).toBe(false);
    expect(ledger.has({ logger: 'a', seq: 11 })).toBe(true);
    expect(ledger.has({ logger: 'c', seq: 0 })).toBe(true);
  });

  it('describes a gap for a human', () => {
    expect(describeGap({ logger: 'L', from: 2_859, to: 8_000 })).toBe('records 2,859-8,000 of logger L');
    expect(describeGap({ logger: 'L', from: 5, to: 5 })).toBe('record 5 of logger L');
  });
});
