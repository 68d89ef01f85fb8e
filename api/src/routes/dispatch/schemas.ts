import { Type, type Static } from '@fastify/type-provider-typebox';
import { Id, Lat, Lon } from '../../schemas/common.ts';

const DispatchStatus = Type.Union([Type.Literal('standby'), Type.Literal('on_task'), Type.Literal('unavailable')]);

export const NearestQuery = Type.Object(
  {
    lat: Lat,
    lon: Lon,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
    status: Type.Optional(
      Type.String({ pattern: '^(standby|on_task|unavailable)(,(standby|on_task|unavailable))*$', description: 'comma-separated dispatch statuses; standby by default' }),
    ),
    unitId: Type.Optional(Id),
    maxAgeSeconds: Type.Optional(Type.Integer({ minimum: 0, description: 'freshness of the fix; 0 = any age; the server setting by default' })),
    maxDistanceMeters: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);
export type NearestQuery = Static<typeof NearestQuery>;

export const NearestAnswer = Type.Object({
  deviceId: Type.Integer(),
  uniqueId: Type.String(),
  name: Type.String(),
  plate: Type.Union([Type.String(), Type.Null()]),
  unitId: Type.Union([Type.Integer(), Type.Null()]),
  dispatchStatus: DispatchStatus,
  distanceMeters: Type.Number({ description: 'great-circle distance' }),
  etaSeconds: Type.Number({ description: 'road travel time when method is osrm, else distance at the configured speed' }),
  roadDistanceMeters: Type.Union([Type.Number(), Type.Null()]),
  method: Type.Union([Type.Literal('greatCircle'), Type.Literal('osrm')], { description: 'what ranked the answer' }),
  position: Type.Object({
    fixTime: Type.String({ format: 'date-time' }),
    lat: Type.Number(),
    lon: Type.Number(),
    speedKmh: Type.Number(),
    course: Type.Number(),
    valid: Type.Boolean(),
  }),
});
