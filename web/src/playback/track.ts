import { haversineMeters } from '../geo/distance.ts';

/**
 * One vehicle's track as parallel typed arrays: a month of 1 Hz fixes is 2.6 million points, which as
 * objects would cost the browser hundreds of megabytes and long pauses.
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

export interface Stop {
  lat: number;
  lon: number;
  from: number;
  to: number;
}

export interface TrackSummary {
  distanceMeters: number;
  movingMs: number;
  maxSpeedKmh: number;
  stops: Stop[];
}

/** Below this a vehicle counts as standing (GPS jitter reports a few km/h at rest). */
const STOP_SPEED_KMH = 3;
/** A standstill this long is a stop worth marking on the map. */
const STOP_MIN_MS = 3 * 60_000;
/** A gap longer than this is the terminal being off, not driving. */
const GAP_MS = 5 * 60_000;

export function summarize(track: Track): TrackSummary {
  const summary: TrackSummary = { distanceMeters: 0, movingMs: 0, maxSpeedKmh: 0, stops: [] };
  let stillSince = -1;
  const n = track.time.length;
  for (let i = 0; i < n; i++) {
    const speed = track.speedKmh[i]!;
    if (speed > summary.maxSpeedKmh) summary.maxSpeedKmh = speed;
    if (i > 0) {
      const dt = track.time[i]! - track.time[i - 1]!;
      summary.distanceMeters += haversineMeters(track.lat[i - 1]!, track.lon[i - 1]!, track.lat[i]!, track.lon[i]!);
      if (speed >= STOP_SPEED_KMH && dt <= GAP_MS) summary.movingMs += dt;
    }
    const still = speed < STOP_SPEED_KMH;
    if (still && stillSince < 0) stillSince = i;
    if ((!still || i === n - 1) && stillSince >= 0) {
      const end = still ? i : i - 1;
      if (track.time[end]! - track.time[stillSince]! >= STOP_MIN_MS) {
        summary.stops.push({ lat: track.lat[stillSince]!, lon: track.lon[stillSince]!, from: track.time[stillSince]!, to: track.time[end]! });
      }
      stillSince = -1;
    }
  }
  return summary;
}

/** Fixes that carried a terminal alarm (`attributes.alarm` or `attributes.alarms`), to mark on the track. */
export function alarmMarks(points: ReadonlyArray<{ attributes?: Record<string, unknown> }>): Array<{ index: number; type: string }> {
  const marks: Array<{ index: number; type: string }> = [];
  points.forEach((p, index) => {
    const raw = p.attributes?.alarms ?? p.attributes?.alarm;
    const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
    if (list.length > 0) marks.push({ index, type: list.map(String).join(',') });
  });
  return marks;
}
