import type { TrackPage } from './track-page.ts';
import type { TrackStats } from './track-stats.ts';
import type { Stop, Trip } from './trips.ts';

export const TRACK_FORMATS = ['json', 'geojson', 'gpx', 'csv'] as const;
export type TrackFormat = (typeof TRACK_FORMATS)[number];

export interface TrackMeta {
  deviceId: number;
  uniqueId: string;
  name: string;
  plate: string | null;
}

export interface TrackAlarm {
  id: number;
  kind: string;
  time: number;
  lat: number | null;
  lon: number | null;
  state: string;
}

export interface TrackResult {
  meta: TrackMeta;
  stats: TrackStats;
  returnedPoints: number;
  trips: Trip[];
  stops: Stop[];
  alarms: TrackAlarm[];
  /** Only the oldest of the period's alarms are listed: the source caps them. */
  alarmsTruncated: boolean;
}

export interface TrackRequest {
  fromMs: number;
  toMs: number;
  toleranceM: number | null;
}

/**
 * Writes one document holding one or several tracks, piece by piece: points go out page by page as they
 * are read, and what needs the whole track (trips, stops, totals) follows them. Each method returns the
 * text to send next; the writer keeps only what it needs to place separators.
 */
export interface TrackWriter {
  readonly contentType: string;
  readonly extension: string;
  open(request: TrackRequest): string;
  beginTrack(meta: TrackMeta, alarms: readonly TrackAlarm[]): string;
  /** ASCII bytes (numbers and times only), built without a string per point. */
  points(meta: TrackMeta, page: TrackPage): Buffer;
  endTrack(result: TrackResult): string;
  close(): string;
}

export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The summary block every structured format carries, times as ISO 8601. */
export function summaryJson(result: TrackResult): Record<string, unknown> {
  const { stats } = result;
  return {
    pointCount: stats.pointCount,
    returnedPoints: result.returnedPoints,
    distanceMeters: stats.distanceMeters,
    movingSeconds: stats.movingSeconds,
    maxSpeedKmh: stats.maxSpeedKmh,
    averageSpeedKmh: stats.averageSpeedKmh,
    startTime: iso(stats.startTime),
    endTime: iso(stats.endTime),
    alarmsTruncated: result.alarmsTruncated,
  };
}

export function tripsJson(result: TrackResult): Record<string, unknown>[] {
  return result.trips.map((trip) => ({ ...trip, startTime: iso(trip.startTime), endTime: iso(trip.endTime) }));
}

export function stopsJson(result: TrackResult): Record<string, unknown>[] {
  return result.stops.map((stop) => ({ ...stop, startTime: iso(stop.startTime), endTime: iso(stop.endTime) }));
}

export function alarmsJson(alarms: readonly TrackAlarm[]): Record<string, unknown>[] {
  return alarms.map((alarm) => ({ ...alarm, time: iso(alarm.time) }));
}
