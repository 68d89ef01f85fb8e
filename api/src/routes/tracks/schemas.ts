import { Type, type Static } from '@fastify/type-provider-typebox';
import { DateTime, Timestamp } from '../../schemas/common.ts';

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

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const TrackPoint = Type.Object({
  fixTime: Timestamp, lat: Type.Number(), lon: Type.Number(), speedKmh: Type.Number(), course: Type.Number(), altitude: Type.Number(), valid: Type.Boolean(),
});
const Trip = Type.Object({
  startTime: Timestamp, endTime: Timestamp, durationSeconds: Type.Number(), distanceMeters: Type.Number(), maxSpeedKmh: Type.Number(),
  startLat: Type.Number(), startLon: Type.Number(), endLat: Type.Number(), endLon: Type.Number(),
});
const Stop = Type.Object({ startTime: Timestamp, endTime: Timestamp, durationSeconds: Type.Number(), lat: Type.Number(), lon: Type.Number() });
const TrackAlarm = Type.Object({ id: Type.Integer(), kind: Type.String(), time: Timestamp, lat: Nullable(Type.Number()), lon: Nullable(Type.Number()), state: Type.String() });
const TrackSummary = Type.Object({
  pointCount: Type.Integer(),
  returnedPoints: Type.Integer({ description: 'after simplification' }),
  distanceMeters: Type.Number(),
  movingSeconds: Type.Number(),
  maxSpeedKmh: Type.Number(),
  averageSpeedKmh: Type.Number({ description: 'distance over moving time' }),
  startTime: Nullable(Timestamp),
  endTime: Nullable(Timestamp),
  alarmsTruncated: Type.Boolean({ description: 'true when the period holds more than 10 000 alarms: `alarms` lists the oldest of them' }),
});
const TrackDocument = Type.Object({
  from: Timestamp,
  to: Timestamp,
  toleranceMeters: Nullable(Type.Number()),
  tracks: Type.Array(
    Type.Object({
      deviceId: Type.Integer(), uniqueId: Type.String(), name: Type.String(), plate: Nullable(Type.String()),
      points: Type.Array(TrackPoint), trips: Type.Array(Trip), stops: Type.Array(Stop),
      alarms: Type.Array(TrackAlarm, { description: 'the alarms raised in the period, oldest first' }),
      summary: TrackSummary,
    }),
  ),
});

/** The 200 answer in each of the four formats `format` chooses, for the OpenAPI document (the body is a stream). */
export const TrackResponse = {
  description: 'the track document in the format asked for, streamed as it is read',
  content: {
    'application/json': { schema: TrackDocument },
    'application/geo+json': { schema: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Object({}, { additionalProperties: true })) }) },
    'application/gpx+xml': { schema: Type.String({ description: 'GPX 1.1, one <trk> per device' }) },
    'text/csv': { schema: Type.String({ description: 'deviceId,fixTime,lat,lon,speedKmh,course,altitude,valid: one row per fix' }) },
  },
};
