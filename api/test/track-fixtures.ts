import type { TrackPoint } from '../src/track/track-point.ts';

/** A fix at `t` seconds after a fixed epoch, `northM` metres north of 22.5°N 114°E. */
export function fix(t: number, northM: number, speedKmh: number, eastM = 0): TrackPoint {
  return {
    fixTimeMs: Date.UTC(2026, 0, 1) + t * 1000,
    lat: 22.5 + northM / 111_195,
    lon: 114 + eastM / (111_195 * Math.cos((22.5 * Math.PI) / 180)),
    speedKmh,
    course: 0,
    altitudeM: 10,
    valid: true,
  };
}
