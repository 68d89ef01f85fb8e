import { Type } from '@fastify/type-provider-typebox';
import { Id } from '../../schemas/common.ts';
import { FOLLOWUP_METHODS, FOLLOWUP_RESULTS } from '../../tickets/followup-rules.ts';
import { CHANNELS } from '../tickets/schemas.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const NewRuleBody = Type.Object(
  {
    categoryId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'covers its sub-categories; null: every category' })),
    channel: Type.Optional(Type.Union([literals(CHANNELS), Type.Null()])),
    result: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    count: Type.Integer({ minimum: 1, maximum: 10, description: 'visits per closure (ten at most per ticket in all)' }),
    intervalHours: Type.Integer({ minimum: 0, maximum: 24 * 365 }),
    method: literals(FOLLOWUP_METHODS),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const DueQuery = Type.Object({
  at: Type.Optional(Type.String({ format: 'date-time', description: 'the queue as of this time; now by default' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

export const ResultBody = Type.Object(
  {
    result: literals(FOLLOWUP_RESULTS),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
