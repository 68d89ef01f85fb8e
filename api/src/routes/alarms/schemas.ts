import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox';
import { DateTime, Id, NullableTimestamp, Timestamp } from '../../schemas/common.ts';
import { ALARM_STATES } from '../../alarms/state-machine.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const AlarmStateSchema = Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('assigned'), Type.Literal('resolved')]);

export const Alarm = Type.Object(
  {
    id: Type.Integer(),
    deviceId: Type.Integer(),
    uniqueId: Type.String(),
    unitId: Nullable(Type.Integer()),
    source: Type.Union([Type.Literal('terminal'), Type.Literal('geofence'), Type.Literal('speed')]),
    kind: Type.String({ description: 'sos, powerCut, overspeed, geofenceEnter, geofenceExit, … (the position alarm names)' }),
    geofenceId: Nullable(Type.Integer()),
    occurredAt: Timestamp,
    lat: Nullable(Type.Number()),
    lon: Nullable(Type.Number()),
    speedKmh: Nullable(Type.Number()),
    details: Type.Record(Type.String(), Type.Unknown()),
    state: AlarmStateSchema,
    acknowledgedAt: NullableTimestamp,
    acknowledgedBy: Nullable(Type.Integer()),
    assignedAt: NullableTimestamp,
    assignedBy: Nullable(Type.Integer()),
    assigneeUserId: Nullable(Type.Integer()),
    assigneeUnitId: Nullable(Type.Integer()),
    resolvedAt: NullableTimestamp,
    resolvedBy: Nullable(Type.Integer()),
    resolutionNote: Type.Union([Type.String(), Type.Null()]),
  },
  { description: 'open → acknowledged → assigned → resolved' },
);

export const AlarmListQuery = Type.Object(
  {
    state: Type.Optional(Type.String({ pattern: `^(${ALARM_STATES.join('|')})(,(${ALARM_STATES.join('|')}))*$`, description: 'comma-separated states' })),
    deviceId: Type.Optional(Id),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
  },
  { additionalProperties: false },
);
export type AlarmListQuery = Static<typeof AlarmListQuery>;

const Note = Type.String({ minLength: 1, maxLength: 4000 });

export const AcknowledgeBody = Type.Object({ note: Type.Optional(Note) }, { additionalProperties: false });
export const AssignBody = Type.Object(
  { userId: Type.Optional(Id), unitId: Type.Optional(Id), note: Type.Optional(Note) },
  { additionalProperties: false, description: 'who handles it: a user, a unit, or both' },
);
export const ResolveBody = Type.Object({ note: Note }, { additionalProperties: false });
