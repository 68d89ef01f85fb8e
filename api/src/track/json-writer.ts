import { AsciiBuffer, asciiBytes, MAX_POINT_BYTES, putBytes, putNumber } from './ascii-buffer.ts';
import { createIsoWriter } from './iso-time.ts';
import { alarmsJson, stopsJson, summaryJson, tripsJson, type TrackWriter } from './track-writer.ts';

// The same field names as GET /api/devices/{id}/positions (CONTRACT.md), written as bytes: this runs per fix.
const FIX_TIME = asciiBytes('{"fixTime":"');
const LAT = asciiBytes('","lat":');
const LON = asciiBytes(',"lon":');
const SPEED = asciiBytes(',"speedKmh":');
const COURSE = asciiBytes(',"course":');
const ALTITUDE = asciiBytes(',"altitude":');
const VALID = asciiBytes(',"valid":true}');
const INVALID = asciiBytes(',"valid":false}');
const COMMA = 44;

/** `{ from, to, tolerance, tracks: [ { deviceId, …, points: [ … ], trips, stops, alarms, summary } ] }` */
export function createJsonWriter(): TrackWriter {
  let tracks = 0;
  let pointsInTrack = 0;
  const writeIso = createIsoWriter();
  const out = new AsciiBuffer();
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
    points(_meta, page) {
      for (let i = 0; i < page.length; i++) {
        const bytes = out.room(MAX_POINT_BYTES);
        let at = out.end;
        if (pointsInTrack++ > 0) bytes[at++] = COMMA;
        at = putBytes(bytes, at, FIX_TIME);
        at = writeIso(bytes, at, page.fixTimeMs[i]!);
        at = putBytes(bytes, at, LAT);
        at = putNumber(bytes, at, page.lat[i]!);
        at = putBytes(bytes, at, LON);
        at = putNumber(bytes, at, page.lon[i]!);
        at = putBytes(bytes, at, SPEED);
        at = putNumber(bytes, at, page.speedKmh[i]!);
        at = putBytes(bytes, at, COURSE);
        at = putNumber(bytes, at, page.course[i]!);
        at = putBytes(bytes, at, ALTITUDE);
        at = putNumber(bytes, at, page.altitudeM[i]!);
        out.end = putBytes(bytes, at, page.valid[i] ? VALID : INVALID);
      }
      return out.take();
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
