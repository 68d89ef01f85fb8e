import { describe, expect, it } from 'vitest';
import { PlaybackClock, SPEEDS } from '../src/playback/clock.ts';
import { simplifyIndices, toleranceForZoom } from '../src/playback/simplify.ts';
import { indexAt, sampleAt, toTrack, type TrackPoint } from '../src/playback/track.ts';

function fakeNow() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

describe('PlaybackClock', () => {
  it('advances at the chosen speed, pauses, and stops at the end', () => {
    const wall = fakeNow();
    const clock = new PlaybackClock(1_000_000, 1_060_000, wall.now);
    expect(clock.time()).toBe(1_000_000);
    clock.play();
    wall.t += 1_000;
    expect(clock.time()).toBe(1_001_000);
    clock.setSpeed(8);
    wall.t += 1_000;
    expect(clock.time()).toBe(1_009_000);
    clock.pause();
    wall.t += 5_000;
    expect(clock.time()).toBe(1_009_000);
    clock.play();
    clock.setSpeed(64);
    wall.t += 10_000;
    expect(clock.time()).toBe(1_060_000);
    expect(clock.playing).toBe(false);
    expect(clock.fraction()).toBe(1);
  });

  it('seeks while playing and clamps to the period', () => {
    const wall = fakeNow();
    const clock = new PlaybackClock(0, 100_000, wall.now);
    clock.play();
    clock.seek(50_000);
    wall.t += 2_000;
    expect(clock.time()).toBe(52_000);
    clock.seek(-5);
    expect(clock.time()).toBe(0);
    clock.seek(1e12);
    expect(clock.time()).toBe(100_000);
  });

  it('starts over when play is pressed at the end', () => {
    const wall = fakeNow();
    const clock = new PlaybackClock(0, 10_000, wall.now);
    clock.seek(10_000);
    clock.play();
    expect(clock.time()).toBe(0);
    expect(clock.playing).toBe(true);
  });

  it('offers 1× to 64×', () => {
    expect(SPEEDS[0]).toBe(1);
    expect(SPEEDS.at(-1)).toBe(64);
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => new PlaybackClock(10, 5)).toThrow('playback period must end after it starts');
  });
});

// A vehicle driving east along the equator at 36 km/h (10 m/s), one fix a second, with a 5-minute stop.
function drive(): TrackPoint[] {
  const points: TrackPoint[] = [];
  const start = Date.parse('2026-11-01T08:00:00Z');
  const metresPerDegree = 111_195;
  let x = 0;
  for (let s = 0; s < 1_200; s++) {
    const stopped = s >= 400 && s < 700;
    if (!stopped && s > 0) x += 10;
    points.push({ fixTime: new Date(start + s * 1_000).toISOString(), lat: 0, lon: x / metresPerDegree, speedKmh: stopped ? 0 : 36, course: 90 });
  }
  return points;
}

describe('tracks', () => {
  const track = toTrack(5, drive());

  it('finds the fix at a time by binary search and interpolates between fixes', () => {
    const t0 = track.time[0]!;
    expect(indexAt(track, t0 - 1)).toBe(-1);
    expect(indexAt(track, t0)).toBe(0);
    expect(indexAt(track, t0 + 10_500)).toBe(10);
    const half = sampleAt(track, t0 + 10_500)!;
    expect(half.lon).toBeCloseTo((track.lon[10]! + track.lon[11]!) / 2, 12);
    expect(sampleAt(track, t0 + 1e9)!.index).toBe(track.time.length - 1);
  });

  it('simplifies a straight drive to its ends, keeping detail the zoom can show', () => {
    const kept = simplifyIndices(track, toleranceForZoom(12));
    expect([...kept]).toEqual([0, track.time.length - 1]);
    const zigzag = toTrack(
      1,
      Array.from({ length: 101 }, (_, i) => ({ fixTime: new Date(i * 1_000).toISOString(), lat: i % 2 ? 0.01 : 0, lon: i * 0.01, speedKmh: 30, course: 0 })),
    );
    expect(simplifyIndices(zigzag, toleranceForZoom(14)).length).toBe(101);
    expect(simplifyIndices(zigzag, 0.1).length).toBe(2);
  });

  it('simplifies a month of 1 Hz fixes without overflowing the stack', () => {
    const n = 2_592_000;
    const big = { deviceId: 1, time: new Float64Array(n), lat: new Float64Array(n), lon: new Float64Array(n), speedKmh: new Float32Array(n), course: new Float32Array(n) };
    for (let i = 0; i < n; i++) {
      big.time[i] = i * 1_000;
      big.lat[i] = Math.sin(i / 5_000) * 0.05;
      big.lon[i] = i * 1e-6;
    }
    const kept = simplifyIndices(big, toleranceForZoom(10));
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(5_000);
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(n - 1);
  });
});
