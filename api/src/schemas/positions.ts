import { Type, type Static } from '@fastify/type-provider-typebox';
import type { StoredPosition } from '@urbanlink/db';
import { positionToJson } from '@urbanlink/protocols';

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

/** The contract's JSON of a stored fix: the same conversion `urbanlink decode` and MQTT use. */
export function toPositionJson(position: StoredPosition): Position {
  return positionToJson(position);
}
