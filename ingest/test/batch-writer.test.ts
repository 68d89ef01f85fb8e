import { describe, expect, it } from 'vitest';
import { BatchWriter } from '../src/batch-writer.ts';

/** The writer's callback for one item, as a promise the test can await. */
function added<R>(writer: BatchWriter<number, R>, item: number): Promise<R> {
  return new Promise((resolve, reject) => writer.add(item, (error, result) => (error === null ? resolve(result!) : reject(error))));
}

function recorder(fail: () => boolean = () => false) {
  const batches: number[][] = [];
  const write = async (items: number[]) => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (fail()) throw new Error('database down');
    batches.push(items);
    return items.map((item) => item * 10);
  };
  return { batches, write };
}

describe('BatchWriter', () => {
  it('groups items that arrive within the window into one write and resolves each with its result', async () => {
    const { batches, write } = recorder();
    const writer = new BatchWriter({ write, maxBatch: 100, windowMs: 20, capacity: 1000 });
    const results = await Promise.all([1, 2, 3, 4].map((n) => added(writer, n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('flushes at maxBatch without waiting for the window', async () => {
    const { batches, write } = recorder();
    const writer = new BatchWriter({ write, maxBatch: 3, windowMs: 10_000, capacity: 1000 });
    const started = Date.now();
    await Promise.all([1, 2, 3].map((n) => added(writer, n)));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('rejects a failed batch, reports saturation while the database is down, and recovers', async () => {
    let down = true;
    const { batches, write } = recorder(() => down);
    const saturation: boolean[] = [];
    const writer = new BatchWriter({
      write,
      maxBatch: 2,
      windowMs: 1,
      capacity: 4,
      onSaturation: (saturated) => saturation.push(saturated),
    });
    const first = added(writer, 1);
    await expect(first).rejects.toThrow('database down');
    expect(writer.failing).toBe(true);
    const held = [2, 3, 4, 5].map((n) => added(writer, n));
    expect(writer.saturated).toBe(true);
    down = false;
    expect(await Promise.allSettled(held)).toEqual(
      expect.arrayContaining([{ status: 'fulfilled', value: 50 }]),
    );
    expect(writer.failing).toBe(false);
    expect(writer.saturated).toBe(false);
    expect(saturation).toEqual([true, false]);
    expect(batches.flat()).toContain(5);
    expect(batches.flat()).not.toContain(1);
  });

  it('release() writes what is held and refuses new items', async () => {
    const { batches, write } = recorder();
    const writer = new BatchWriter({ write, maxBatch: 100, windowMs: 60_000, capacity: 1000 });
    const pending = [added(writer, 7), added(writer, 8)];
    await writer.release();
    expect(await Promise.all(pending)).toEqual([70, 80]);
    expect(batches).toEqual([[7, 8]]);
    await expect(added(writer, 9)).rejects.toThrow('released');
  });
});
