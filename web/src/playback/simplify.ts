import type { Track } from './track.ts';

/**
 * Douglas–Peucker over a track's typed arrays, returning the indices to keep. Iterative (an explicit stack),
 * because a month of fixes would overflow the call stack; tolerance is in degrees, chosen from the zoom.
 */
export function simplifyIndices(track: Track, tolerance: number): Uint32Array {
  const n = track.time.length;
  if (n <= 2) return Uint32Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const tolSq = tolerance * tolerance;
  const stack: number[] = [0, n - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    let worst = -1;
    let worstSq = tolSq;
    for (let i = first + 1; i < last; i++) {
      const d = segmentDistanceSq(track, i, first, last);
      if (d > worstSq) {
        worstSq = d;
        worst = i;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(first, worst, worst, last);
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i]!;
  const out = new Uint32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (keep[i]) out[k++] = i;
  return out;
}

function segmentDistanceSq(track: Track, i: number, a: number, b: number): number {
  const x = track.lon[i]!;
  const y = track.lat[i]!;
  const ax = track.lon[a]!;
  const ay = track.lat[a]!;
  let dx = track.lon[b]! - ax;
  let dy = track.lat[b]! - ay;
  if (dx !== 0 || dy !== 0) {
    const t = ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      dx = x - track.lon[b]!;
      dy = y - track.lat[b]!;
      return dx * dx + dy * dy;
    }
    if (t > 0) {
      dx = x - (ax + dx * t);
      dy = y - (ay + dy * t);
      return dx * dx + dy * dy;
    }
  }
  dx = x - ax;
  dy = y - ay;
  return dx * dx + dy * dy;
}

/** Half a screen pixel at this zoom, in degrees of longitude at the equator: finer detail cannot show. */
export function toleranceForZoom(zoom: number): number {
  return 360 / (512 * 2 ** zoom) / 2;
}
