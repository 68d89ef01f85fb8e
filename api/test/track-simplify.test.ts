import { describe, expect, it } from 'vitest';
import { douglasPeucker, PagedSimplifier } from '../src/track/simplify.ts';
import { fix, fixesOf, pageOf, type Fix } from './track-fixtures.ts';

function segmentMeters(p: Fix, a: Fix, b: Fix): number {
  const ky = 111_195;
  const kx = ky * Math.cos((a.lat * Math.PI) / 180);
  const [px, py, bx, by] = [(p.lon - a.lon) * kx, (p.lat - a.lat) * ky, (b.lon - a.lon) * kx, (b.lat - a.lat) * ky];
  const len = bx * bx + by * by;
  const t = len > 0 ? Math.max(0, Math.min(1, (px * bx + py * by) / len)) : 0;
  return Math.hypot(px - t * bx, py - t * by);
}

describe('douglasPeucker', () => {
  it('drops collinear points and keeps a corner', () => {
    const line = [fix(0, 0, 36), fix(1, 10, 36), fix(2, 20, 36), fix(3, 20, 36, 10), fix(4, 20, 36, 20)];
    expect(Array.from(douglasPeucker(pageOf(line), 1))).toEqual([1, 0, 1, 0, 1]);
  });

  it('keeps a 5 m wiggle at 1 m tolerance and drops it at 10 m', () => {
    const line = [fix(0, 0, 36), fix(1, 50, 36, 5), fix(2, 100, 36)];
    expect(Array.from(douglasPeucker(pageOf(line), 1))).toEqual([1, 1, 1]);
    expect(Array.from(douglasPeucker(pageOf(line), 10))).toEqual([1, 0, 1]);
  });

  it('measures to the segment, so a vehicle that turns back keeps its far end', () => {
    const line = [fix(0, 0, 36), fix(1, 200, 36), fix(2, 100, 36)];
    expect(Array.from(douglasPeucker(pageOf(line), 50))).toEqual([1, 1, 1]);
  });
});

describe('PagedSimplifier', () => {
  it('keeps every dropped point within tolerance of the kept line across page joins', () => {
    const line = Array.from({ length: 5000 }, (_, i) => fix(i, i * 10, 36, 30 * Math.sin(i / 40)));
    const simplifier = new PagedSimplifier(5);
    const kept = [0, 1000, 2000, 3000, 4000].flatMap((start) => fixesOf(simplifier.push(pageOf(line.slice(start, start + 1000)))));
    expect(kept[0]).toEqual(line[0]);
    expect(kept.at(-1)).toEqual(line.at(-1));
    expect(kept.length).toBeLessThan(line.length / 5);
    expect(new Set(kept.map((p) => p.fixTimeMs)).size).toBe(kept.length);
    // Every original point lies within 5 m of the kept segment that spans its time.
    let k = 0;
    for (const point of line) {
      while (kept[k + 1] && kept[k + 1]!.fixTimeMs < point.fixTimeMs) k++;
      const a = kept[k]!;
      const b = kept[k + 1] ?? a;
      expect(segmentMeters(point, a, b)).toBeLessThanOrEqual(5.001);
    }
  });

  it('returns only the page boundary points for a straight line', () => {
    const simplifier = new PagedSimplifier(1);
    const line = Array.from({ length: 30 }, (_, i) => fix(i, i * 10, 36));
    const kept = [line.slice(0, 10), line.slice(10, 20), line.slice(20)].flatMap((piece) => fixesOf(simplifier.push(pageOf(piece))));
    expect(kept.map((p) => p.fixTimeMs)).toEqual([line[0], line[9], line[19], line[29]].map((p) => p!.fixTimeMs));
  });
});
