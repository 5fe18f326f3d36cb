import { describe, expect, it } from 'vitest';
import { runPool } from './worker-pool';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runPool', () => {
  it('runs every item exactly once, in start order, never more than `concurrency` at a time', async () => {
    const items = Array.from({ length: 17 }, (_, i) => i);
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const done = new Set<number>();
    await runPool(items, 4, async (item, index) => {
      expect(index).toBe(item);
      started.push(item);
      peak = Math.max(peak, ++inFlight);
      await tick((item * 7) % 5);
      inFlight--;
      done.add(item);
    });
    expect(started).toEqual(items);
    expect(done.size).toBe(17);
    expect(peak).toBe(4);
  });

  it('starts nothing more once shouldStop says so, but lets calls in flight finish', async () => {
    const finished: number[] = [];
    let stop = false;
    await runPool(
      Array.from({ length: 20 }, (_, i) => i),
      3,
      async (item) => {
        if (item === 4) stop = true;
        await tick(2);
        finished.push(item);
      },
      () => stop,
    );
    // Lanes free up one by one after items 0-2; item 4 sets the flag as it starts, so 2's lane stops there.
    expect(finished.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
  });

  it('on an error starts no further item, waits for the ones in flight, then throws the first error', async () => {
    const finished: number[] = [];
    let inFlight = 0;
    const run = runPool(
      Array.from({ length: 50 }, (_, i) => i),
      3,
      async (item) => {
        inFlight++;
        await tick(item === 1 ? 1 : 5);
        inFlight--;
        if (item === 1) throw new Error('boom 1');
        if (item === 2) throw new Error('boom 2');
        finished.push(item);
      },
    );
    await expect(run).rejects.toThrow('boom 1');
    expect(inFlight).toBe(0);
    expect(Math.max(...finished)).toBeLessThan(6);
  });

  it('does nothing for no items and refuses a concurrency below 1', async () => {
    await runPool([], 4, async () => {
      throw new Error('not called');
    });
    await expect(runPool([1], 0, async () => {})).rejects.toThrow(RangeError);
  });
});
