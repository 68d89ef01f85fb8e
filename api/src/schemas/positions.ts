import { Type, type Static } from '@fastify/type-provider-typebox';
import type { StoredPosition } from '@urbanlink/db';

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** CONTRACT.md's position shape, with the optional readings every terminal may add. */
export const Position = Type.Object(
  {
    fixTime: Type.String({ format: 'date-time' }),
    lat: Type.Number(),
    lon: Type.Number(),
    speedKmh: Type.Number(),
    course: Type.Number({ description: 'degrees clockwise from north' }),
    altitude: Type.Number({ description: 'metres' }),
    valid: Type.Boolean({ description: 'whether the receiver had a fix' }),
    satellites: Type.Union([Type.Integer(), Type.Null()]),
    ignition: Type.Union([Type.Boolean(), Type.Null()]),
    odometerKm: NullableNumber,
    fuelL: NullableNumber,
    alarms: Type.Array(Type.String()),
    attributes: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'Position' },
);
export type Position = Static<typeof Position>;

export const LatestPosition = Type.Intersect([Type.Object({ deviceId: Type.Integer() }), Position], { $id: 'LatestPosition' });

export function toPositionJson(position: StoredPosition): Position {
  return {
    fixTime: new Date(position.fixTimeMs).toISOString(),
    lat: position.lat,
    lon: position.lon,
    speedKmh: position.speedKmh,
    course: position.course,
    altitude: position.altitudeM,
    valid: position.valid,
    satellites: position.satellites,
    ignition: position.ignition,
    odometerKm: position.odometerKm,
    fuelL: position.fuelL,
    alarms: position.alarms,
    attributes: position.attributes,
  };
}
