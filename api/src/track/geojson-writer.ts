import { AsciiBuffer, asciiBytes } from './ascii-buffer.ts';
import { createIsoWriter } from './iso-time.ts';
import type { TrackPoint } from './track-point.ts';
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
  let joint: TrackPoint | null = null;
  const writeIso = createIsoWriter();
  const out = new AsciiBuffer();
  const time = (p: TrackPoint) => {
    out.byte(QUOTE);
    writeIso(out, p.fixTimeMs);
    out.byte(QUOTE);
  };
  const vertex = (p: TrackPoint) => {
    out.byte(OPEN);
    out.number(p.lon);
    out.byte(COMMA);
    out.number(p.lat);
    out.byte(COMMA);
    out.number(p.altitudeM);
    out.byte(CLOSE);
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
      joint = null;
      return '';
    },
    points(meta, points) {
      const previous = joint;
      joint = points.at(-1) ?? joint;
      if (points.length + (previous ? 1 : 0) < 2) return out.take();
      if (features++ > 0) out.byte(COMMA);
      out.bytes(PIECE_START);
      out.number(meta.deviceId);
      out.bytes(PIECE);
      out.number(piece++);
      out.bytes(TIMES);
      if (previous) time(previous);
      for (let i = 0; i < points.length; i++) {
        if (i > 0 || previous) out.byte(COMMA);
        time(points[i]!);
      }
      out.bytes(GEOMETRY);
      if (previous) vertex(previous);
      for (let i = 0; i < points.length; i++) {
        if (i > 0 || previous) out.byte(COMMA);
        vertex(points[i]!);
      }
      out.bytes(PIECE_END);
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
