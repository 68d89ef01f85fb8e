import { haversineMeters, metresPerDegree } from '../track/geodesy.ts';
import { pointInPolygon } from './point-in-polygon.ts';

export interface LatLon {
  lat: number;
  lon: number;
}

export type GeofenceShape =
  | { type: 'circle'; center: LatLon; radiusMeters: number }
  /** A simple ring, not closed (the last vertex joins the first). */
  | { type: 'polygon'; points: LatLon[] };

export interface Bounds {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

export function boundsOf(shape: GeofenceShape): Bounds {
  if (shape.type === 'circle') {
    const { perLat, perLon } = metresPerDegree(shape.center.lat);
    const dLat = shape.radiusMeters / perLat;
    // Widened by the cosine at the circle's edge nearer the pole, so the box never cuts the circle.
    const dLon = shape.radiusMeters / Math.max(1e-9, perLon * Math.cos(dLat * (Math.PI / 180)));
    return { minLat: shape.center.lat - dLat, maxLat: shape.center.lat + dLat, minLon: shape.center.lon - dLon, maxLon: shape.center.lon + dLon };
  }
  const bounds = { minLat: Infinity, minLon: Infinity, maxLat: -Infinity, maxLon: -Infinity };
  for (const { lat, lon } of shape.points) {
    bounds.minLat = Math.min(bounds.minLat, lat);
    bounds.maxLat = Math.max(bounds.maxLat, lat);
    bounds.minLon = Math.min(bounds.minLon, lon);
    bounds.maxLon = Math.max(bounds.maxLon, lon);
  }
  return bounds;
}

export function contains(shape: GeofenceShape, lat: number, lon: number): boolean {
  if (shape.type === 'circle') return haversineMeters(shape.center.lat, shape.center.lon, lat, lon) <= shape.radiusMeters;
  return pointInPolygon(shape.points, lat, lon);
}

/** Why a shape cannot be a fence, or null when it can. */
export function shapeProblem(shape: GeofenceShape): string | null {
  if (shape.type === 'circle') return shape.radiusMeters > 0 ? null : 'a circle needs a radius above 0 metres';
  if (shape.points.length < 3) return 'a polygon needs at least 3 points';
  const b = boundsOf(shape);
  if (b.maxLon - b.minLon > 180) return 'a polygon may not span more than 180° of longitude';
  return null;
}
