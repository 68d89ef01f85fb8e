import type { UnitBoundary } from '@urbanlink/db';
import { HttpError } from '../../plugins/errors.ts';

// A city's district outline has a few thousand vertices; far more is a mistake (or an attack on the map).
const MAX_POSITIONS = 50_000;

/** Why a ring cannot bound an area, or null; `field` is the ring's path in the request. */
function ringProblem(ring: unknown, field: string, counter: { positions: number }): HttpError | null {
  // A position where a ring belongs (a Polygon's coordinates sent as a MultiPolygon's) is a nesting mistake.
  if (!Array.isArray(ring) || !ring.every(Array.isArray)) return new HttpError(400, `${field} must be a ring: an array of [lon, lat] positions`, field);
  if (ring.length < 4) return new HttpError(400, `${field} has ${ring.length} positions; a ring needs at least 4 (the last repeating the first)`, field);
  counter.positions += ring.length;
  if (counter.positions > MAX_POSITIONS) return new HttpError(400, `a boundary may have at most ${MAX_POSITIONS} positions`, field);
  for (const [i, position] of ring.entries()) {
    const at = `${field}.${i}`;
    if (!Array.isArray(position) || position.length < 2 || position.length > 3 || !position.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return new HttpError(400, `${at} must be [lon, lat] in degrees`, at);
    }
    const [lon, lat] = position as number[];
    if (Math.abs(lon!) > 180) return new HttpError(400, `${at}: longitude ${lon} is outside -180…180 (GeoJSON puts lon before lat)`, at);
    if (Math.abs(lat!) > 90) return new HttpError(400, `${at}: latitude ${lat} is outside -90…90 (GeoJSON puts lon before lat)`, at);
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return new HttpError(400, `${field} is not closed: its last position must repeat the first`, field);
  return null;
}

/** The first problem of a boundary that passed the outline schema, or null when it can be stored and drawn. */
export function boundaryProblem(boundary: UnitBoundary): HttpError | null {
  const polygons: Array<{ rings: unknown; field: string }> =
    boundary.type === 'Polygon'
      ? [{ rings: boundary.coordinates, field: 'boundary.coordinates' }]
      : boundary.coordinates.map((rings, i) => ({ rings, field: `boundary.coordinates.${i}` }));
  const counter = { positions: 0 };
  for (const { rings, field } of polygons) {
    if (!Array.isArray(rings) || rings.length === 0) return new HttpError(400, `${field} must be a polygon: an array of rings`, field);
    for (const [i, ring] of rings.entries()) {
      const problem = ringProblem(ring, `${field}.${i}`, counter);
      if (problem) return problem;
    }
  }
  return null;
}

/** Throws the 400 for a bad boundary in a request body; absent and null (no boundary) pass. */
export function checkBoundary(boundary: UnitBoundary | null | undefined): void {
  const problem = boundary ? boundaryProblem(boundary) : null;
  if (problem) throw problem;
}
