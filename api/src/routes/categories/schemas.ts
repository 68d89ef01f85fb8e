import { Type } from '@fastify/type-provider-typebox';
import { Id } from '../../schemas/common.ts';

const Hours = Type.Number({ minimum: 0, maximum: 10_000 });

export const Limits = Type.Object(
  {
    accepted: Type.Optional(Hours),
    dispatched: Type.Optional(Hours),
    arrived: Type.Optional(Hours),
    handled: Type.Optional(Hours),
    closed: Hours,
  },
  { additionalProperties: false, description: 'working hours from registration by which each stage must be reached' },
);

const fields = {
  parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  code: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  keywords: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  limits: Type.Optional(Limits),
  calendarId: Type.Optional(Type.Union([Id, Type.Null()])),
  duplicateRadiusM: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  duplicatePeriodHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 365 })),
  public: Type.Optional(Type.Boolean({ description: 'offered to citizens as an Open311 service' })),
  active: Type.Optional(Type.Boolean()),
};

export const NewCategoryBody = Type.Object(fields, { additionalProperties: false });
export const CategoryPatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Clock = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });

export const CalendarBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    workdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7 }),
    hours: Type.Array(Type.Object({ start: Clock, end: Clock }), { minItems: 1, maxItems: 6 }),
    holidays: Type.Array(Day, { maxItems: 1000 }),
    extraWorkdays: Type.Array(Day, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
