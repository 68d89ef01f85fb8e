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
    description: 'at most this many fixes, oldest first; when the period holds more, the answer has a `Link: <…>; rel="next"` header',
  }),
});

export const POSITIONS_DESCRIPTION = `A device's stored fixes from \`from\` to \`to\` (both included), oldest first, at most \`limit\`.
When the period holds more, the answer carries the URL of the next page in a header,
\`Link: </api/devices/{id}/positions?from=<first fix not sent>&to=<to>&limit=<limit>>; rel="next"\`, and the last page
has none. For a whole day of 1 Hz fixes (86 400) follow the links, or use GET /api/devices/{id}/track.`;
