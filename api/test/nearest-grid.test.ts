import { describe, expect, it } from 'vitest';
import { MovingPointGrid } from '../src/nearest/moving-grid.ts';
import { metresPerDegree } from '../src/track/geodesy.ts';

// A seeded generator, so a failure can be replayed.
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

function bruteForce(points: Map<number, [number, number]>, lat: number, lon: number, k: number, accept: (id: number) => boolean) {
  const { perLat, perLon } = metresPerDegree(lat);
  return [...points]
    .filter(([id]) => accept(id))
    .map(([id, [pLat, pLon]]) => ({ id, d: Math.hypot((pLat - lat) * perLat, (pLon - lon) * perLon) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, k);
}

describe('MovingPointGrid', () => {
  it('answers k-nearest exactly as a brute-force scan, through moves, deletions and filters', () => {
    const next = random(42);
    const grid = new MovingPointGrid(0.01);
    const points = new Map<number, [number, number]>();
    const place = (id: number) => {
      const at: [number, number] = [22.4 + next() * 0.3, 113.9 + next() * 0.4];
      points.set(id, at);
      grid.set(id, at[0], at[1]);
    };
    for (let id = 1; id <= 3000; id++) place(id);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 500; i++) place(1 + Math.floor(next() * 3000));
      for (let i = 0; i < 50; i++) {
        const id = 1 + Math.floor(next() * 3000);
        points.delete(id);
        grid.delete(id);
      }
      expect(grid.size).toBe(points.size);
      for (let q = 0; q < 40; q++) {
        const lat = 22.3 + next() * 0.5;
        const lon = 113.8 + next() * 0.6;
        const accept = q % 2 === 0 ? () => true : (id: number) => id % 7 === 0;
        const k = 1 + (q % 12);
        const got = grid.nearest(lat, lon, k, accept);
        const want = bruteForce(points, lat, lon, k, accept);
        expect(got.map((n) => n.id)).toEqual(want.map((n) => n.id));
        got.forEach((n, i) => expect(n.approxMeters).toBeCloseTo(want[i]!.d, 6));
      }
    }
  });

  it('returns fewer than k when not enough pass, and honours the distance limit', () => {
    const grid = new MovingPointGrid(0.01);
    grid.set(1, 22.5, 114);
    grid.set(2, 22.5, 114.05);
    grid.set(3, 23.5, 114);
    expect(grid.nearest(22.5, 114.001, 10, () => true).map((n) => n.id)).toEqual([1, 2, 3]);
    expect(grid.nearest(22.5, 114.001, 10, () => true, 10_000).map((n) => n.id)).toEqual([1, 2]);
    expect(grid.nearest(22.5, 114.001, 10, (id) => id === 3).map((n) => n.id)).toEqual([3]);
    expect(new MovingPointGrid().nearest(22.5, 114, 5, () => true)).toEqual([]);
  });

  it('refines its cells as the fleet grows dense, and stays exact', () => {
    const next = random(7);
    const grid = new MovingPointGrid(0.04);
    const points = new Map<number, [number, number]>();
    for (let id = 1; id <= 8_000; id++) {
      const at: [number, number] = [22.5 + next() * 0.05, 114 + next() * 0.05];
      points.set(id, at);
      grid.set(id, at[0], at[1]);
    }
    expect(grid.cellDegrees).toBeLessThan(0.01);
    for (let q = 0; q < 50; q++) {
      const lat = 22.49 + next() * 0.07;
      const lon = 113.99 + next() * 0.07;
      expect(grid.nearest(lat, lon, 10, () => true).map((n) => n.id)).toEqual(bruteForce(points, lat, lon, 10, () => true).map((n) => n.id));
    }
  });

  it('answers correctly when far-apart cells share a map key', () => {
    const grid = new MovingPointGrid(0.0005);
    // 65 536 columns of 0.0005° apart: the same key, 32.768° of longitude away.
    grid.set(1, 22.5, 114.0001);
    grid.set(2, 22.5, 114.0001 - 32.768);
    grid.set(3, 22.5, 114.01);
    expect(grid.nearest(22.5, 114, 2, () => true).map((n) => n.id)).toEqual([1, 3]);
    expect(grid.nearest(22.5, 114 - 32.768, 1, () => true).map((n) => n.id)).toEqual([2]);
  });

  it('moves a point within its cell and across cells', () => {
    const grid = new MovingPointGrid(0.01);
    grid.set(1, 22.5, 114);
    grid.set(2, 22.6, 114.1);
    grid.set(1, 22.6001, 114.1001);
    expect(grid.nearest(22.6, 114.1, 1, (id) => id === 1)[0]!.approxMeters).toBeLessThan(20);
    grid.set(1, 22.60015, 114.10015);
    expect(grid.nearest(22.5, 114, 2, () => true).map((n) => n.id)).toEqual([2, 1]);
  });
  it('stays exact while a crowd piles into one cell and then spreads over thousands (blocks grow and empty, the cell table is rebuilt)', () => {
    const next = random(99);
    const grid = new MovingPointGrid(0.01);
    const points = new Map<number, [number, number]>();
    const place = (id: number, at: [number, number]) => {
      points.set(id, at);
      grid.set(id, at[0], at[1]);
    };
    // 300 points in one 0.01° cell: its block doubles several times.
    for (let id = 1; id <= 300; id++) place(id, [22.5 + next() * 0.009, 114 + next() * 0.009]);
    const check = () => {
      for (let q = 0; q < 20; q++) {
        const lat = 22.4 + next() * 0.4;
        const lon = 113.9 + next() * 0.4;
        const accept = q % 3 === 0 ? (id: number) => id % 5 === 0 : () => true;
        expect(grid.nearest(lat, lon, 7, accept).map((n) => n.id)).toEqual(bruteForce(points, lat, lon, 7, accept).map((n) => n.id));
      }
    };
    check();
    // Each wanders through many cells, leaving empty ones behind until the table fills and is rebuilt.
    for (let round = 0; round < 40; round++) {
      for (let id = 1; id <= 300; id++) place(id, [22.3 + next() * 0.6, 113.8 + next() * 0.6]);
    }
    expect(grid.size).toBe(300);
    check();
    for (let id = 1; id <= 300; id += 2) {
      points.delete(id);
      grid.delete(id);
    }
    check();
  });
});
