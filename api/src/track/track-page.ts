import type { TrackPageColumns } from '@urbanlink/db';

/**
 * A page of one device's fixes as track playback reads it, column by column, oldest first (db's
 * TrackPageColumns): what the map, the writers and the summaries need, no more, and no object per fix.
 */
export type TrackPage = TrackPageColumns;

/** The rows of `page` listed in `rows` (ascending), as a page of their own. */
export function selectRows(page: TrackPage, rows: readonly number[]): TrackPage {
  const pick = <T extends Float64Array | Int16Array | Uint8Array>(column: T, into: T): T => {
    for (let i = 0; i < rows.length; i++) into[i] = column[rows[i]!]!;
    return into;
  };
  const n = rows.length;
  return {
    length: n,
    fixTimeMs: pick(page.fixTimeMs, new Float64Array(n)),
    lat: pick(page.lat, new Float64Array(n)),
    lon: pick(page.lon, new Float64Array(n)),
    speedKmh: pick(page.speedKmh, new Float64Array(n)),
    course: pick(page.course, new Int16Array(n)),
    altitudeM: pick(page.altitudeM, new Float64Array(n)),
    valid: pick(page.valid, new Uint8Array(n)),
  };
}
