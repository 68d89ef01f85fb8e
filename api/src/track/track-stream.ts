import { PagedSimplifier } from './simplify.ts';
import type { TrackPoint } from './track-point.ts';
import { TrackStatsAccumulator } from './track-stats.ts';
import type { TrackAlarm, TrackMeta, TrackRequest, TrackWriter } from './track-writer.ts';
import { TripDetector } from './trips.ts';

/** Where playback reads from: keyset pages of one device's fixes, and the alarms raised in the period. */
export interface TrackSource {
  /** Fixes with `fromMs <= fixTime < toMs` and fixTime after `afterMs` (when given), ordered, at most `limit`. */
  readPage(deviceId: number, fromMs: number, toMs: number, afterMs: number | null, limit: number): Promise<TrackPoint[]>;
  alarms(deviceId: number, fromMs: number, toMs: number): Promise<TrackAlarm[]>;
}

export interface TrackSettings {
  pageSize: number;
  stopSpeedKmh: number;
  minStopSeconds: number;
  maxGapSeconds: number;
}

export const DEFAULT_TRACK_SETTINGS: TrackSettings = {
  pageSize: 10_000,
  stopSpeedKmh: 5,
  minStopSeconds: 180,
  maxGapSeconds: 300,
};

/**
 * Produces the track document for each device in turn, as text chunks. The next page is requested before
 * the current one is written, so the database and the formatting overlap; memory stays at about two pages
 * whatever the period. Totals, trips and stops are computed over every fix, before simplification.
 */
export async function* streamTracks(
  source: TrackSource,
  writer: TrackWriter,
  request: TrackRequest,
  metas: readonly TrackMeta[],
  settings: TrackSettings = DEFAULT_TRACK_SETTINGS,
): AsyncGenerator<string> {
  yield writer.open(request);
  for (const meta of metas) {
    const alarms = await source.alarms(meta.deviceId, request.fromMs, request.toMs);
    yield writer.beginTrack(meta, alarms);
    const stats = new TrackStatsAccumulator({ movingSpeedKmh: settings.stopSpeedKmh, maxGapSeconds: settings.maxGapSeconds });
    const trips = new TripDetector({ stopSpeedKmh: settings.stopSpeedKmh, minStopSeconds: settings.minStopSeconds });
    const simplifier = request.toleranceM ? new PagedSimplifier(request.toleranceM) : null;
    let returned = 0;
    const read = (after: number | null) =>
      source.readPage(meta.deviceId, request.fromMs, request.toMs, after, settings.pageSize);
    let pending: Promise<TrackPoint[]> | null = read(null);
    try {
      while (pending) {
        const page: TrackPoint[] = await pending;
        const last = page.at(-1);
        pending = last && page.length === settings.pageSize ? read(last.fixTimeMs) : null;
        for (const point of page) {
          stats.add(point);
          trips.add(point);
        }
        const kept = simplifier ? simplifier.push(page) : page;
        returned += kept.length;
        if (kept.length > 0) yield writer.points(meta, kept);
      }
    } finally {
      // The client may hang up mid-track: the read already in flight must not become an unhandled rejection.
      pending?.catch(() => {});
    }
    yield writer.endTrack({ meta, stats: stats.result(), returnedPoints: returned, ...trips.finish(), alarms });
  }
  yield writer.close();
}
