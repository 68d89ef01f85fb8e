import type { TrackPage } from '../src/track/track-page.ts';

/** One fix as the tests build them; the code under test reads them as a TrackPage (pageOf). */
export interface Fix {
  fixTimeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
  altitudeM: number;
  valid: boolean;
}

/** A fix at `t` seconds after a fixed epoch, `northM` metres north of 22.5°N 114°E. */
export function fix(t: number, northM: number, speedKmh: number, eastM = 0): Fix {
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

export function pageOf(fixes: readonly Fix[]): TrackPage {
  return {
    length: fixes.length,
    fixTimeMs: Float64Array.from(fixes, (f) => f.fixTimeMs),
    lat: Float64Array.from(fixes, (f) => f.lat),
    lon: Float64Array.from(fixes, (f) => f.lon),
    speedKmh: Float64Array.from(fixes, (f) => f.speedKmh),
    course: Int16Array.from(fixes, (f) => f.course),
    altitudeM: Float64Array.from(fixes, (f) => f.altitudeM),
    valid: Uint8Array.from(fixes, (f) => (f.valid ? 1 : 0)),
  };
}

export function fixesOf(page: TrackPage): Fix[] {
  return Array.from({ length: page.length }, (_, i) => ({
    fixTimeMs: page.fixTimeMs[i]!,
    lat: page.lat[i]!,
    lon: page.lon[i]!,
    speedKmh: page.speedKmh[i]!,
    course: page.course[i]!,
    altitudeM: page.altitudeM[i]!,
    valid: page.valid[i] === 1,
  }));
}
