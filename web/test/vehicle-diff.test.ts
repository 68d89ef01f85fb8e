import { describe, expect, it } from 'vitest';
import { FrameCoalescer, VehicleDiffer, shadeOf } from '../src/live/vehicle-diff.ts';

describe('VehicleDiffer', () => {
  it('adds a vehicle once it has a fix, then updates it in place', () => {
    const differ = new VehicleDiffer();
    differ.upsert({ id: 7, name: 'car 7', plate: '粤B12345', status: 'online', dispatchStatus: 'standby' });
    expect(differ.flush()).toEqual({ add: [], update: [], remove: [] });
    differ.upsert({ id: 7, lat: 22.5, lon: 114.05, course: 90 });
    const first = differ.flush();
    expect(first.add.map((v) => v.id)).toEqual([7]);
    expect(first.add[0]).toMatchObject({ plate: '粤B12345', lat: 22.5, lon: 114.05 });
    differ.upsert({ id: 7, lat: 22.51 });
    const second = differ.flush();
    expect(second.add).toEqual([]);
    expect(second.update.map((v) => [v.id, v.lat])).toEqual([[7, 22.51]]);
  });

  it('coalesces many pushes for one vehicle into one entry with the last values', () => {
    const differ = new VehicleDiffer();
    differ.upsert({ id: 1, lat: 1, lon: 1 });
    differ.flush();
    for (let i = 2; i <= 50; i++) differ.upsert({ id: 1, lat: i, lon: i, speedKmh: i });
    const diff = differ.flush();
    expect(diff.update).toHaveLength(1);
    expect(diff.update[0]).toMatchObject({ lat: 50, lon: 50, speedKmh: 50 });
  });

  it('reports nothing for a push that changes nothing', () => {
    const differ = new VehicleDiffer();
    differ.upsert({ id: 1, lat: 1, lon: 1, course: 10 });
    differ.flush();
    expect(differ.upsert({ id: 1, lat: 1, lon: 1, course: 10 })).toBe(false);
    expect(differ.hasPending).toBe(false);
    expect(differ.upsert({ id: 1, course: undefined })).toBe(false);
  });

  it('removes only what the map has drawn, and forgets a vehicle added and removed within one frame', () => {
    const differ = new VehicleDiffer();
    differ.upsert({ id: 1, lat: 1, lon: 1 });
    differ.flush();
    differ.upsert({ id: 2, lat: 2, lon: 2 });
    differ.remove(2);
    differ.remove(1);
    differ.remove(99);
    expect(differ.flush()).toEqual({ add: [], update: [], remove: [1] });
  });

  it('colours offline over the dispatch status', () => {
    expect(shadeOf({ status: 'offline', dispatchStatus: 'on_task' })).toBe('offline');
    expect(shadeOf({ status: 'online', dispatchStatus: 'on_task' })).toBe('on_task');
    expect(shadeOf({ status: 'unknown', dispatchStatus: 'unavailable' })).toBe('unavailable');
  });
});

describe('FrameCoalescer', () => {
  it('flushes once per scheduled frame however often it is asked', () => {
    const frames: Array<() => void> = [];
    let flushes = 0;
    const coalescer = new FrameCoalescer((run) => frames.push(run), () => flushes++);
    for (let i = 0; i < 100; i++) coalescer.request();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(flushes).toBe(1);
    coalescer.request();
    coalescer.request();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(flushes).toBe(2);
  });
});

describe('FrameCoalescer with a minimum interval', () => {
  it('waits out the interval after a flush, then flushes on the next frame', () => {
    let now = 0;
    const frames: Array<() => void> = [];
    const delays: Array<{ run: () => void; ms: number }> = [];
    let flushes = 0;
    const coalescer = new FrameCoalescer(
      (run) => frames.push(run),
      () => flushes++,
      { minIntervalMs: 300, now: () => now, delay: (run, ms) => delays.push({ run, ms }) },
    );
    coalescer.request();
    expect(delays).toHaveLength(0);
    frames.shift()!();
    expect(flushes).toBe(1);
    now = 100;
    coalescer.request();
    coalescer.request();
    expect(frames).toHaveLength(0);
    expect(delays.map((d) => d.ms)).toEqual([200]);
    now = 300;
    delays.shift()!.run();
    frames.shift()!();
    expect(flushes).toBe(2);
    now = 1_000;
    coalescer.request();
    expect(delays).toHaveLength(0);
    expect(frames).toHaveLength(1);
  });
});
