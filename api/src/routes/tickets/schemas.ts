import { Type, type Static } from '@fastify/type-provider-typebox';
import { Id, Lat, Lon } from '../../schemas/common.ts';
import { TICKET_STATES } from '../../tickets/states.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const CHANNELS = ['phone', 'sms', 'web', 'email', 'fax', 'open311', 'patrol', 'video'] as const;
export const PRIORITIES = ['normal', 'urgent', 'major'] as const;
export const DISPATCH_METHODS = ['none', 'phone', 'email', 'terminal'] as const;
export const REPLY_METHODS = ['none', 'phone', 'email', 'sms'] as const;

export const TicketState = literals(TICKET_STATES);

export const NewTicketBody = Type.Object({
  category: Type.Union([Type.String({ minLength: 1 }), Id], { description: 'category code, or its id' }),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  lat: Lat,
  lon: Lon,
  address: Type.Optional(Type.String({ maxLength: 500 })),
  channel: literals(CHANNELS),
  priority: Type.Optional(literals(PRIORITIES)),
  reporterName: Type.Optional(Type.String({ maxLength: 200 })),
  reporterPhone: Type.Optional(Type.String({ maxLength: 40 })),
  reporterEmail: Type.Optional(Type.String({ maxLength: 320 })),
  callId: Type.Optional(Type.String({ maxLength: 200, description: 'the PBX call this complaint came in on; links its recording' })),
});
export type NewTicketBody = Static<typeof NewTicketBody>;

export const TicketQuery = Type.Object({
  status: Type.Optional(Type.String({ description: 'comma-separated states' })),
  category: Type.Optional(Type.String({ description: 'category code or id; its sub-categories are not included' })),
  channel: Type.Optional(literals(CHANNELS)),
  phone: Type.Optional(Type.String()),
  overdue: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type TicketQuery = Static<typeof TicketQuery>;

export const TransitionBody = Type.Object({
  to: TicketState,
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  result: Type.Optional(Type.String({ maxLength: 100, description: "how the case ended, e.g. 'resolved'" })),
});

export const DispatchBody = Type.Object({
  unitId: Type.Optional(Id),
  deviceId: Type.Optional(Id),
  method: Type.Optional(literals(DISPATCH_METHODS)),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const MergeBody = Type.Object({
  into: Id,
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const ReplyBody = Type.Object({
  method: literals(REPLY_METHODS),
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  recipient: Type.Optional(Type.String({ maxLength: 320, description: "defaults to the reporter's phone or e-mail" })),
});

export const PlanStepParams = Type.Object({ id: Id, position: Type.Integer({ minimum: 1 }) });
export const PlanStepBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) });
export const AttachmentParams = Type.Object({ id: Id, attachmentId: Id });

export const TicketPatchBody = Type.Object(
  {
    category: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Id])),
    priority: Type.Optional(literals(PRIORITIES)),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
    lat: Type.Optional(Lat),
    lon: Type.Optional(Lon),
    address: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
