/**
 * One vehicle's track as parallel typed arrays: a month of 1 Hz fixes is 2.6 million points; as numbers in
 * typed arrays they take a fraction of the memory of the parsed JSON objects, and the per-frame binary search
 * touches nothing else.
 */
export interface Track {
  deviceId: number;
  /** Fix times, epoch milliseconds, ascending. */
  time: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  speedKmh: Float32Array;
  course: Float32Array;
}

export interface TrackPoint {
  fixTime: string;
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
}

export function toTrack(deviceId: number, points: readonly TrackPoint[]): Track {
  const n = points.length;
  const track: Track = {
    deviceId,
    time: new Float64Array(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    speedKmh: new Float32Array(n),
    course: new Float32Array(n),
  };
  points.forEach((p, i) => {
    track.time[i] = Date.parse(p.fixTime);
    track.lat[i] = p.lat;
    track.lon[i] = p.lon;
    track.speedKmh[i] = p.speedKmh;
    track.course[i] = p.course;
  });
  return track;
}

/** Index of the last fix at or before `t`, or -1 when `t` is before the first. */
export function indexAt(track: Track, t: number): number {
  let lo = 0;
  let hi = track.time.length - 1;
  if (hi < 0 || t < track.time[0]!) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (track.time[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface Sample {
  index: number;
  lat: number;
  lon: number;
  course: number;
  speedKmh: number;
}

/** Where the vehicle was at `t`, interpolated between fixes; before the first fix it waits at the first. */
export function sampleAt(track: Track, t: number): Sample | undefined {
  const n = track.time.length;
  if (n === 0) return undefined;
  const i = Math.max(0, indexAt(track, t));
  const j = Math.min(n - 1, i + 1);
  const span = track.time[j]! - track.time[i]!;
  const f = span > 0 ? Math.min(1, Math.max(0, (t - track.time[i]!) / span)) : 0;
  return {
    index: i,
    lat: track.lat[i]! + (track.lat[j]! - track.lat[i]!) * f,
    lon: track.lon[i]! + (track.lon[j]! - track.lon[i]!) * f,
    course: track.course[i]!,
    speedKmh: track.speedKmh[i]!,
  };
}
