import { createIsoFormatter } from './iso-time.ts';
import type { TrackPoint } from './track-point.ts';
import { alarmsJson, iso, stopsJson, summaryJson, tripsJson, type TrackWriter } from './track-writer.ts';

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
  const isoOf = createIsoFormatter();
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
      const line = joint ? [joint, ...points] : points;
      joint = points.at(-1) ?? joint;
      if (line.length < 2) return '';
      let coordinates = '';
      let times = '';
      for (let i = 0; i < line.length; i++) {
        const p = line[i]!;
        coordinates += `${i > 0 ? ',' : ''}[${p.lon},${p.lat},${p.altitudeM}]`;
        times += `${i > 0 ? ',' : ''}"${isoOf(p.fixTimeMs)}"`;
      }
      const properties = `{"kind":"track","deviceId":${meta.deviceId},"piece":${piece++},"times":[${times}]}`;
      const feature = `{"type":"Feature","properties":${properties},"geometry":{"type":"LineString","coordinates":[${coordinates}]}}`;
      return (features++ > 0 ? ',' : '') + feature;
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
