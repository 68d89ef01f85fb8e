import { metresPerDegree } from './geodesy.ts';
import type { TrackPoint } from './track-point.ts';

/**
 * Douglas-Peucker over a local flat projection, in metres: returns a flag per point (1 = kept). The first
 * and last points are always kept, and every dropped point lies within `toleranceM` of the kept polyline.
 * Iterative (an explicit stack) so a day of 1 Hz fixes cannot overflow the call stack.
 */
export function douglasPeucker(points: readonly TrackPoint[], toleranceM: number): Uint8Array {
  const n = points.length;
  const keep = new Uint8Array(n);
  if (n === 0) return keep;
  keep[0] = 1;
  keep[n - 1] = 1;
  if (n < 3) return keep;
  const { perLat, perLon } = metresPerDegree(points[0]!.lat);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    x[i] = p.lon * perLon;
    y[i] = p.lat * perLat;
  }
  const limit = toleranceM * toleranceM;
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    let worst = -1;
    let worstD = limit;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistanceSq(x, y, i, first, last);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst < 0) continue;
    keep[worst] = 1;
    stack.push(first, worst, worst, last);
  }
  return keep;
}

// Distance to the segment, not the infinite line, so a vehicle that doubles back is not flattened away.
function segmentDistanceSq(x: Float64Array, y: Float64Array, i: number, a: number, b: number): number {
  const ax = x[a]!;
  const ay = y[a]!;
  const dx = x[b]! - ax;
  const dy = y[b]! - ay;
  let px = x[i]! - ax;
  let py = y[i]! - ay;
  const len = dx * dx + dy * dy;
  if (len > 0) {
    const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len));
    px -= t * dx;
    py -= t * dy;
  }
  return px * px + py * py;
}

/**
 * Simplifies a track that arrives in pages. Each page is simplified together with the last point of the
 * page before (the carried-over tail), which was kept, so the pieces join without a gap and the tolerance
 * still holds everywhere; the only cost is that page boundaries are always kept points.
 */
export class PagedSimplifier {
  readonly #toleranceM: number;
  #tail: TrackPoint | null = null;

  constructor(toleranceM: number) {
    this.#toleranceM = toleranceM;
  }

  push(page: readonly TrackPoint[]): TrackPoint[] {
    if (page.length === 0) return [];
    const line = this.#tail ? [this.#tail, ...page] : page;
    const keep = douglasPeucker(line, this.#toleranceM);
    const kept: TrackPoint[] = [];
    for (let i = this.#tail ? 1 : 0; i < line.length; i++) if (keep[i]) kept.push(line[i]!);
    this.#tail = line[line.length - 1]!;
    return kept;
  }
}
