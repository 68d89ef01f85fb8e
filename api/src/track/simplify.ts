import { metresPerDegree } from './geodesy.ts';
import { selectRows, type TrackPage } from './track-page.ts';

/** The coordinates Douglas-Peucker reads: a TrackPage, or a page with the carried-over tail in front. */
interface Line {
  length: number;
  lat: ArrayLike<number>;
  lon: ArrayLike<number>;
}

/**
 * Douglas-Peucker over a local flat projection, in metres: returns a flag per point (1 = kept). The first
 * and last points are always kept, and every dropped point lies within `toleranceM` of the kept polyline.
 * Iterative (an explicit stack) so a day of 1 Hz fixes cannot overflow the call stack.
 */
export function douglasPeucker(line: Line, toleranceM: number): Uint8Array {
  const n = line.length;
  const keep = new Uint8Array(n);
  if (n === 0) return keep;
  keep[0] = 1;
  keep[n - 1] = 1;
  if (n < 3) return keep;
  const { perLat, perLon } = metresPerDegree(line.lat[0]!);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = line.lon[i]! * perLon;
    y[i] = line.lat[i]! * perLat;
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
  #tail: { lat: number; lon: number } | null = null;

  constructor(toleranceM: number) {
    this.#toleranceM = toleranceM;
  }

  /** The points of `page` that are kept. */
  push(page: TrackPage): TrackPage {
    if (page.length === 0) return page;
    const tail = this.#tail;
    const line = tail ? withTail(page, tail) : page;
    const keep = douglasPeucker(line, this.#toleranceM);
    const kept: number[] = [];
    const offset = tail ? 1 : 0;
    for (let i = 0; i < page.length; i++) if (keep[i + offset]) kept.push(i);
    this.#tail = { lat: page.lat[page.length - 1]!, lon: page.lon[page.length - 1]! };
    return selectRows(page, kept);
  }
}

function withTail(page: TrackPage, tail: { lat: number; lon: number }): Line {
  const lat = new Float64Array(page.length + 1);
  const lon = new Float64Array(page.length + 1);
  lat[0] = tail.lat;
  lon[0] = tail.lon;
  lat.set(page.lat, 1);
  lon.set(page.lon, 1);
  return { length: page.length + 1, lat, lon };
}
