import { Type, type Static } from '@fastify/type-provider-typebox';
import { DateTime } from '../../schemas/common.ts';

const TrackOptions = {
  from: DateTime,
  to: DateTime,
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson'), Type.Literal('gpx'), Type.Literal('csv')], { default: 'json' })),
  tolerance: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000, description: 'simplify the returned line to this many metres (Douglas-Peucker); totals use every fix' })),
  stopSpeedKmh: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'below this speed a fix counts as standing still (default 5)' })),
  minStopSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'standing still this long makes a stop (default 180)' })),
};

export const TrackQuery = Type.Object(TrackOptions, { additionalProperties: false });
export type TrackQuery = Static<typeof TrackQuery>;

export const TracksQuery = Type.Object(
  { ...TrackOptions, deviceIds: Type.String({ pattern: '^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,49}$', description: 'comma-separated device ids, at most 50' }) },
  { additionalProperties: false },
);
export type TracksQuery = Static<typeof TracksQuery>;

export const TRACK_DESCRIPTION =
  'Streamed as it is read. json: { from, to, toleranceMeters, tracks: [ { deviceId, uniqueId, name, plate, points, trips, stops, alarms, summary } ] }; ' +
  'geojson: a FeatureCollection of LineString pieces (properties.times per vertex), stop and alarm Points and one summary feature per device; ' +
  'gpx: one <trk> per device, alarms as <wpt>, stops and totals in <extensions>; csv: one row per fix.';
