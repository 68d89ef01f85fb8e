import { Type } from '@fastify/type-provider-typebox';
import { DateTime } from '../../schemas/common.ts';

export const MAX_POSITIONS = 50_000;

export const PositionsQuery = Type.Object({
  from: Type.Optional(Type.Unsafe<string>({ ...DateTime, description: 'ISO 8601 with a zone; default: 24 hours before `to`' })),
  to: Type.Optional(Type.Unsafe<string>({ ...DateTime, description: 'ISO 8601 with a zone; default: now' })),
  limit: Type.Integer({
    minimum: 1,
    maximum: MAX_POSITIONS,
    default: 10_000,
    description: 'at most this many fixes, oldest first; for the next page ask again from the last fixTime + 1 ms',
  }),
});
