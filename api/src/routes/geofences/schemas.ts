import { Type } from '@fastify/type-provider-typebox';
import { Id, Lat, Lon, Timestamp } from '../../schemas/common.ts';

const Point = Type.Object({ lat: Lat, lon: Lon }, { additionalProperties: false });

export const Shape = Type.Union(
  [
    Type.Object({ type: Type.Literal('circle'), center: Point, radiusMeters: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('polygon'), points: Type.Array(Point, { minItems: 3, maxItems: 10_000 }) }, { additionalProperties: false }),
  ],
  { description: 'a circle (centre and radius) or a polygon ring (not closed: the last point joins the first)' },
);

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);
const SpeedLimit = Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 300 }), Type.Null()], { description: 'km/h; inside the fence a faster fix raises overspeed' });
const UnitId = Type.Union([Id, Type.Null()], { description: 'the fence applies to this unit’s subtree; null: to every device (admins only)' });

export const Geofence = Type.Object({
  id: Type.Integer(),
  unitId: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  shape: Shape,
  speedLimitKmh: Type.Union([Type.Number(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const NewGeofenceBody = Type.Object(
  { name: Name, unitId: Type.Optional(UnitId), description: Type.Optional(Description), shape: Shape, speedLimitKmh: Type.Optional(SpeedLimit) },
  { additionalProperties: false },
);

export const GeofencePatchBody = Type.Object(
  { name: Type.Optional(Name), unitId: Type.Optional(UnitId), description: Type.Optional(Description), shape: Type.Optional(Shape), speedLimitKmh: Type.Optional(SpeedLimit) },
  { additionalProperties: false, minProperties: 1 },
);
