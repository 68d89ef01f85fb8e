import { createIsoFormatter } from './iso-time.ts';
import type { TrackPoint } from './track-point.ts';
import { alarmsJson, stopsJson, summaryJson, tripsJson, type TrackWriter } from './track-writer.ts';

/** `{ from, to, tolerance, tracks: [ { deviceId, …, points: [ … ], trips, stops, alarms, summary } ] }` */
export function createJsonWriter(): TrackWriter {
  let tracks = 0;
  let pointsInTrack = 0;
  const isoOf = createIsoFormatter();
  return {
    contentType: 'application/json; charset=utf-8',
    extension: 'json',
    open(request) {
      const head = { from: new Date(request.fromMs).toISOString(), to: new Date(request.toMs).toISOString() };
      return `${JSON.stringify({ ...head, toleranceMeters: request.toleranceM }).slice(0, -1)},"tracks":[`;
    },
    beginTrack(meta) {
      pointsInTrack = 0;
      return `${tracks++ > 0 ? ',' : ''}${JSON.stringify(meta).slice(0, -1)},"points":[`;
    },
    points(_meta, points) {
      let out = '';
      for (const point of points) out += (pointsInTrack++ > 0 ? ',' : '') + pointJson(point, isoOf(point.fixTimeMs));
      return out;
    },
    endTrack(result) {
      const rest = {
        trips: tripsJson(result),
        stops: stopsJson(result),
        alarms: alarmsJson(result.alarms),
        summary: summaryJson(result),
      };
      return `],${JSON.stringify(rest).slice(1)}`;
    },
    close() {
      return ']}';
    },
  };
}

// The same field names as GET /api/devices/{id}/positions (CONTRACT.md), written by hand: this runs per fix.
function pointJson(p: TrackPoint, fixTime: string): string {
  return `{"fixTime":"${fixTime}","lat":${p.lat},"lon":${p.lon},"speedKmh":${p.speedKmh},"course":${p.course},"altitude":${p.altitudeM},"valid":${p.valid}}`;
}
