import type { LatLon } from './shapes.ts';

/**
 * Even-odd ray casting in plain lon/lat: a fence spans a few km, where meridians are as good as parallel.
 * A point exactly on an edge may fall either way, which is as precise as a GPS fix anyway.
 */
export function pointInPolygon(ring: readonly LatLon[], lat: number, lon: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.lat > lat !== b.lat > lat && lon < ((b.lon - a.lon) * (lat - a.lat)) / (b.lat - a.lat) + a.lon) {
      inside = !inside;
    }
  }
  return inside;
}
