import { Type, type Static } from '@fastify/type-provider-typebox';
import { NullableTimestamp, Timestamp } from './common.ts';
import { Position } from './positions.ts';

export const DispatchStatus = Type.Union([Type.Literal('standby'), Type.Literal('on_task'), Type.Literal('unavailable')], {
  description: 'set by dispatchers and the ticket workflow: standby (待命), on_task (任务中), unavailable (不可用)',
});

export const Protocol = Type.Union([Type.Literal('gt06'), Type.Literal('jt808')]);

/** A device (a vehicle's terminal) with what ingest knows of it now. */
export const Device = Type.Object(
  {
    id: Type.Integer(),
    uniqueId: Type.String({ description: 'GT06 IMEI, or JT/T 808 terminal phone number without leading zeros' }),
    name: Type.String(),
    protocol: Type.Union([Protocol, Type.Null()]),
    plate: Type.Union([Type.String(), Type.Null()]),
    unitId: Type.Union([Type.Integer(), Type.Null()]),
    timeZoneOffsetMinutes: Type.Union([Type.Integer(), Type.Null()], { description: 'for terminals that report local time; null: the protocol rule' }),
    model: Type.Union([Type.String(), Type.Null()], { description: 'terminal model, which selects codec quirks' }),
    lenient: Type.Boolean({ description: 'accept frames a strict decoder rejects' }),
    dispatchStatus: DispatchStatus,
    speedLimitKmh: Type.Union([Type.Number(), Type.Null()], { description: "km/h: the device's own limit for overspeed alarms; null: none" }),
    attributes: Type.Record(Type.String(), Type.Unknown()),
    createdAt: Timestamp,
    status: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')], {
      description: 'from ingest: unknown until the terminal first connects',
    }),
    lastSeenAt: NullableTimestamp,
    position: Type.Union([Position, Type.Null()], { description: 'the newest fix' }),
  },
  { $id: 'Device' },
);
export type Device = Static<typeof Device>;
