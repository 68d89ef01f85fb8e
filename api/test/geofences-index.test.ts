import { describe, expect, it } from 'vitest';
import { FenceIndex } from '../src/geofence/fence-index.ts';
import { pointInPolygon } from '../src/geofence/point-in-polygon.ts';
import { boundsOf, contains, shapeProblem, type GeofenceShape } from '../src/geofence/shapes.ts';

const square = (lat: number, lon: number, size: number): GeofenceShape => ({
  type: 'polygon',
  points: [
    { lat, lon },
    { lat, lon: lon + size },
    { lat: lat + size, lon: lon + size },
    { lat: lat + size, lon },
  ],
});

describe('pointInPolygon', () => {
  it('handles a concave ring (a U shape)', () => {
    const u = [
      { lat: 0, lon: 0 }, { lat: 0, lon: 3 }, { lat: 3, lon: 3 }, { lat: 3, lon: 2 },
      { lat: 1, lon: 2 }, { lat: 1, lon: 1 }, { lat: 3, lon: 1 }, { lat: 3, lon: 0 },
    ];
    expect(pointInPolygon(u, 0.5, 1.5)).toBe(true);
    expect(pointInPolygon(u, 2, 1.5)).toBe(false);
    expect(pointInPolygon(u, 2, 0.5)).toBe(true);
    expect(pointInPolygon(u, 2, 2.5)).toBe(true);
    expect(pointInPolygon(u, -1, 1)).toBe(false);
  });
});

describe('shapes', () => {
  it('tests circles by great-circle distance and boxes them without cutting them', () => {
    const circle: GeofenceShape = { type: 'circle', center: { lat: 22.5, lon: 114 }, radiusMeters: 500 };
    expect(contains(circle, 22.5 + 490 / 111_195, 114)).toBe(true);
    expect(contains(circle, 22.5 + 510 / 111_195, 114)).toBe(false);
    const east = 114 + 499 / (111_195 * Math.cos((22.5 * Math.PI) / 180));
    expect(contains(circle, 22.5, east)).toBe(true);
    expect(boundsOf(circle).maxLon).toBeGreaterThan(east);
  });

  it('names what is wrong with a shape', () => {
    expect(shapeProblem({ type: 'circle', center: { lat: 0, lon: 0 }, radiusMeters: 0 })).toMatch(/radius/);
    expect(shapeProblem({ type: 'polygon', points: [{ lat: 0, lon: 0 }, { lat: 1, lon: 1 }] })).toMatch(/3 points/);
    expect(shapeProblem(square(22, 114, 0.1))).toBeNull();
  });
});

describe('FenceIndex', () => {
  it('finds the same fences as testing each one, for fences small and huge', () => {
    const fences = [];
    let state = 7;
    const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let id = 1; id <= 300; id++) {
      fences.push(
        id % 3 === 0
          ? { id, shape: { type: 'circle' as const, center: { lat: 22.3 + next() * 0.5, lon: 113.8 + next() * 0.6 }, radiusMeters: 100 + next() * 3000 } }
          : { id, shape: square(22.3 + next() * 0.5, 113.8 + next() * 0.6, 0.001 + next() * 0.05) },
      );
    }
    fences.push({ id: 999, shape: square(10, 100, 30) });
    const index = new FenceIndex(fences, 0.02);
    for (let i = 0; i < 2000; i++) {
      const lat = 22.3 + next() * 0.55;
      const lon = 113.8 + next() * 0.65;
      const want = fences.filter((f) => contains(f.shape, lat, lon)).map((f) => f.id).sort((a, b) => a - b);
      expect(index.containing(lat, lon).map((f) => f.id).sort((a, b) => a - b)).toEqual(want);
    }
    index.replace([]);
    expect(index.containing(22.5, 114)).toEqual([]);
  });
});
