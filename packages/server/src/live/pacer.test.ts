import { describe, expect, it } from 'vitest';
import { Pacer } from './pacer.js';

describe('Pacer', () => {
  it('sends at once after a quiet moment, then folds what comes within the interval into one message', async () => {
    let pending = 0;
    const sent: number[] = [];
    const pacer = new Pacer(50, () => pending > 0, async () => {
      sent.push(pending);
      pending = 0;
    });
    pending = 1;
    pacer.schedule();
    expect(sent).toEqual([1]);
    for (let i = 0; i < 5; i++) {
      pending++;
      pacer.schedule();
    }
    expect(sent).toEqual([1]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(sent).toEqual([1, 5]);
    pacer.close();
  });

  it('stops for good when a write fails', async () => {
    let calls = 0;
    const pacer = new Pacer(1, () => true, () => {
      calls++;
      return Promise.reject(new Error('client gone'));
    });
    pacer.schedule();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(calls).toBe(1);
  });
});
