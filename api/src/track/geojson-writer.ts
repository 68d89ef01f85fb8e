import { AsciiBuffer, asciiBytes, MAX_POINT_BYTES, putNumber } from './ascii-buffer.ts';
import { createIsoWriter } from './iso-time.ts';
import type { TrackPage } from './track-page.ts';
import { alarmsJson, iso, stopsJson, summaryJson, tripsJson, type TrackWriter } from './track-writer.ts';

const PIECE_START = asciiBytes('{"type":"Feature","properties":{"kind":"track","deviceId":');
const PIECE = asciiBytes(',"piece":');
const TIMES = asciiBytes(',"times":[');
const GEOMETRY = asciiBytes(']},"geometry":{"type":"LineString","coordinates":[');
const PIECE_END = asciiBytes(']}}');
const COMMA = 44;
const QUOTE = 34;
const OPEN = 91;
const CLOSE = 93;

/**
 * A FeatureCollection (RFC 7946). The line goes out as one LineString feature per page read, each with
 * the fix times of its vertices in `properties.times`, so nothing has to be held back; consecutive pieces
 * share their joining vertex. Stops and alarms follow as Point features, and each track's totals as a
 * `kind: "summary"` feature without geometry.
 */
export function createGeojsonWriter(): TrackWriter {
  let features = 0;
  let piece = 0;
  // The last vertex written, which the next piece starts from.
  const joint = { ms: 0, lat: 0, lon: 0, altitudeM: 0 };
  let hasJoint = false;
  const writeIso = createIsoWriter();
  const out = new AsciiBuffer();
  const time = (comma: boolean, ms: number) => {
    const bytes = out.room(MAX_POINT_BYTES);
    let at = out.end;
    if (comma) bytes[at++] = COMMA;
    bytes[at++] = QUOTE;
    at = writeIso(bytes, at, ms);
    bytes[at++] = QUOTE;
    out.end = at;
  };
  const vertex = (comma: boolean, lat: number, lon: number, altitudeM: number) => {
    const bytes = out.room(MAX_POINT_BYTES);
    let at = out.end;
    if (comma) bytes[at++] = COMMA;
    bytes[at++] = OPEN;
    at = putNumber(bytes, at, lon);
    bytes[at++] = COMMA;
    at = putNumber(bytes, at, lat);
    bytes[at++] = COMMA;
    at = putNumber(bytes, at, altitudeM);
    bytes[at++] = CLOSE;
    out.end = at;
  };
  const setJoint = (page: TrackPage, i: number) => {
    joint.ms = page.fixTimeMs[i]!;
    joint.lat = page.lat[i]!;
    joint.lon = page.lon[i]!;
    joint.altitudeM = page.altitudeM[i]!;
    hasJoint = true;
  };
  const next = (feature: unknown): string => (features++ > 0 ? ',' : '') + JSON.stringify(feature);
  return {
    contentType: 'application/geo+json; charset=utf-8',
    extension: 'geojson',
    open(request) {
      return `{"type":"FeatureCollection","from":"${iso(request.fromMs)}","to":"${iso(request.toMs)}","features":[`;
    },
    beginTrack() {
      piece = 0;
      hasJoint = false;
      return '';
    },
    points(meta, page) {
      const joined = hasJoint;
      const n = page.length;
      if (n + (joined ? 1 : 0) < 2) {
        if (n > 0) setJoint(page, n - 1);
        return out.take();
      }
      if (features++ > 0) out.byte(COMMA);
      out.bytes(PIECE_START);
      out.number(meta.deviceId);
      out.bytes(PIECE);
      out.number(piece++);
      out.bytes(TIMES);
      if (joined) time(false, joint.ms);
      for (let i = 0; i < n; i++) time(i > 0 || joined, page.fixTimeMs[i]!);
      out.bytes(GEOMETRY);
      if (joined) vertex(false, joint.lat, joint.lon, joint.altitudeM);
      for (let i = 0; i < n; i++) vertex(i > 0 || joined, page.lat[i]!, page.lon[i]!, page.altitudeM[i]!);
      out.bytes(PIECE_END);
      setJoint(page, n - 1);
      return out.take();
    },
    endTrack(result) {
      const deviceId = result.meta.deviceId;
      let out = '';
      for (const stop of stopsJson(result)) {
        const geometry = { type: 'Point', coordinates: [stop.lon, stop.lat] };
        out += next({ type: 'Feature', properties: { kind: 'stop', deviceId, ...stop }, geometry });
      }
      for (const alarm of alarmsJson(result.alarms)) {
        const geometry = alarm.lat === null ? null : { type: 'Point', coordinates: [alarm.lon, alarm.lat] };
        out += next({ type: 'Feature', properties: { ...alarm, kind: 'alarm', alarmKind: alarm.kind, deviceId }, geometry });
      }
      const properties = { kind: 'summary', ...result.meta, ...summaryJson(result), trips: tripsJson(result) };
      return out + next({ type: 'Feature', properties, geometry: null });
    },
    close() {
      return ']}';
    },
  };
}
