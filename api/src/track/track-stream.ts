import { HopMeter } from './hops.ts';
import { PagedSimplifier } from './simplify.ts';
import type { TrackPage } from './track-page.ts';
import { TrackStatsAccumulator } from './track-stats.ts';
import type { TrackAlarm, TrackMeta, TrackRequest, TrackWriter } from './track-writer.ts';
import { TripDetector } from './trips.ts';

/** Where playback reads from: pages of one device's fixes, and the alarms raised in the period. */
export interface TrackSource {
  /** The first `limit` fixes with `fromMs <= fixTime < toMs`, oldest first. */
  readPage(deviceId: number, fromMs: number, toMs: number, limit: number): Promise<TrackPage>;
  /** The period's alarms oldest first; `truncated` when the source listed only the oldest of them. */
  alarms(deviceId: number, fromMs: number, toMs: number): Promise<{ alarms: TrackAlarm[]; truncated: boolean }>;
}

export interface TrackSettings {
  pageSize: number;
  /** The time window of the first page; later windows follow the density of the fixes. */
  firstWindowMs: number;
  stopSpeedKmh: number;
  minStopSeconds: number;
  maxGapSeconds: number;
}

export const DEFAULT_TRACK_SETTINGS: TrackSettings = {
  pageSize: 10_000,
  firstWindowMs: 3 * 3_600_000,
  stopSpeedKmh: 5,
  minStopSeconds: 180,
  maxGapSeconds: 300,
};

/**
 * Produces the track document for each device in turn, as text chunks. The next page is requested before
 * the current one is written, so the database and the formatting overlap; memory stays at about two pages
 * whatever the period. Each page is also bounded in time, by a window sized from the density of the page
 * before: however the database plans the query (a fresh partition without statistics is read with a
 * bitmap scan and a sort), a page never touches more than about a page of rows. Totals, trips and stops
 * are computed over every fix, before simplification.
 */
export async function* streamTracks(
  source: TrackSource,
  writer: TrackWriter,
  request: TrackRequest,
  metas: readonly TrackMeta[],
  settings: TrackSettings = DEFAULT_TRACK_SETTINGS,
): AsyncGenerator<string | Buffer> {
  yield writer.open(request);
  for (const meta of metas) {
    const { alarms, truncated: alarmsTruncated } = await source.alarms(meta.deviceId, request.fromMs, request.toMs);
    yield writer.beginTrack(meta, alarms);
    const stats = new TrackStatsAccumulator({ movingSpeedKmh: settings.stopSpeedKmh, maxGapSeconds: settings.maxGapSeconds });
    const trips = new TripDetector({ stopSpeedKmh: settings.stopSpeedKmh, minStopSeconds: settings.minStopSeconds });
    const hops = new HopMeter();
    const simplifier = request.toleranceM ? new PagedSimplifier(request.toleranceM) : null;
    let returned = 0;
    let window = settings.firstWindowMs;
    const read = (fromMs: number) => {
      const untilMs = Math.min(request.toMs, fromMs + window);
      return source.readPage(meta.deviceId, fromMs, untilMs, settings.pageSize).then((page) => ({ page, fromMs, untilMs }));
    };
    let pending: Promise<{ page: TrackPage; fromMs: number; untilMs: number }> | null = read(request.fromMs);
    try {
      while (pending) {
        const { page, fromMs, untilMs } = await pending;
        pending = null;
        if (page.length === settings.pageSize) {
          // Full: the next window spans what this one needed for a page. Fix times are whole milliseconds.
          const last = page.fixTimeMs[page.length - 1]!;
          window = Math.max(1, last + 1 - fromMs);
          pending = read(last + 1);
        } else if (untilMs < request.toMs) {
          // Sparse: widen, so a parked vehicle's quiet week is a few pages, not hundreds.
          window *= 2;
          pending = read(untilMs);
        }
        const pageHops = hops.measure(page);
        stats.add(page, pageHops);
        trips.add(page, pageHops);
        const kept = simplifier ? simplifier.push(page) : page;
        returned += kept.length;
        if (kept.length > 0) yield writer.points(meta, kept);
      }
    } finally {
      // The client may hang up mid-track: the read already in flight must not become an unhandled rejection.
      pending?.catch(() => {});
    }
    yield writer.endTrack({ meta, stats: stats.result(), returnedPoints: returned, ...trips.finish(), alarms, alarmsTruncated });
  }
  yield writer.close();
}
