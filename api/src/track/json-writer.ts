import { AsciiBuffer, asciiBytes } from './ascii-buffer.ts';
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
    points(_meta, points) {
      for (const p of points) {
        if (pointsInTrack++ > 0) out.byte(COMMA);
        out.bytes(FIX_TIME);
        writeIso(out, p.fixTimeMs);
        out.bytes(LAT);
        out.number(p.lat);
        out.bytes(LON);
        out.number(p.lon);
        out.bytes(SPEED);
        out.number(p.speedKmh);
        out.bytes(COURSE);
        out.number(p.course);
        out.bytes(ALTITUDE);
        out.number(p.altitudeM);
        out.bytes(p.valid ? VALID : INVALID);
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
