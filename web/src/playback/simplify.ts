import type { Track } from './track.ts';

/**
 * The indices of a track's fixes worth drawing at a tolerance (degrees, chosen from the zoom): first a
 * radial pass drops fixes closer than the tolerance to the last one kept (1 Hz fixes of a slow vehicle are
 * mostly that), then Douglas–Peucker over what is left. Iterative with an explicit stack, because a month
 * of fixes would overflow the call stack.
 */
export function simplifyIndices(track: Track, tolerance: number): Uint32Array {
  const lon = track.lon;
  const lat = track.lat;
  const n = lon.length;
  if (n <= 2) return Uint32Array.from({ length: n }, (_, i) => i);
  const tolSq = tolerance * tolerance;

  const candidates = new Uint32Array(n);
  let m = 0;
  candidates[m++] = 0;
  let lastX = lon[0]!;
  let lastY = lat[0]!;
  for (let i = 1; i < n - 1; i++) {
    const dx = lon[i]! - lastX;
    const dy = lat[i]! - lastY;
    if (dx * dx + dy * dy > tolSq) {
      candidates[m++] = i;
      lastX = lon[i]!;
      lastY = lat[i]!;
    }
  }
  candidates[m++] = n - 1;

  const keep = new Uint8Array(m);
  keep[0] = 1;
  keep[m - 1] = 1;
  const stack: number[] = [0, m - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    const ax = lon[candidates[first]!]!;
    const ay = lat[candidates[first]!]!;
    const bx = lon[candidates[last]!]!;
    const by = lat[candidates[last]!]!;
    const sx = bx - ax;
    const sy = by - ay;
    const lengthSq = sx * sx + sy * sy;
    let worst = -1;
    let worstSq = tolSq;
    for (let k = first + 1; k < last; k++) {
      const i = candidates[k]!;
      const px = lon[i]! - ax;
      const py = lat[i]! - ay;
      let d: number;
      const t = lengthSq > 0 ? (px * sx + py * sy) / lengthSq : 0;
      if (t <= 0) d = px * px + py * py;
      else if (t >= 1) d = (px - sx) * (px - sx) + (py - sy) * (py - sy);
      else {
        const qx = px - sx * t;
        const qy = py - sy * t;
        d = qx * qx + qy * qy;
      }
      if (d > worstSq) {
        worstSq = d;
        worst = k;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push(first, worst, worst, last);
    }
  }

  let count = 0;
  for (let k = 0; k < m; k++) count += keep[k]!;
  const out = new Uint32Array(count);
  for (let k = 0, j = 0; k < m; k++) if (keep[k]) out[j++] = candidates[k]!;
  return out;
}

/** Half a screen pixel at this zoom, in degrees of longitude at the equator: finer detail cannot show. */
export function toleranceForZoom(zoom: number): number {
  return 360 / (512 * 2 ** zoom) / 2;
}
