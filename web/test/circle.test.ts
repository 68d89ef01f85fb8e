import { describe, expect, it } from 'vitest';
import { circleRing } from '../src/geo/circle.ts';

function metres(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(a));
}

describe('circleRing', () => {
  it('puts every vertex at the radius and closes the ring', () => {
    const ring = circleRing(22.54, 114.05, 500);
    expect(ring).toHaveLength(65);
    expect(ring[64]).toEqual(ring[0]);
    for (const [lon, lat] of ring) expect(metres(22.54, 114.05, lat, lon)).toBeCloseTo(500, 3);
  });

  it('starts due north and goes clockwise', () => {
    const [north, east] = circleRing(0, 0, 1_000, 4);
    expect(north![0]).toBeCloseTo(0, 9);
    expect(north![1]).toBeGreaterThan(0);
    expect(east![0]).toBeGreaterThan(0);
    expect(east![1]).toBeCloseTo(0, 9);
  });
});
