import { Type } from '@fastify/type-provider-typebox';
import { TICKET_GROUPINGS, TICKET_MEASURES } from '@urbanlink/db';
import { FORMATS } from '../../stats/send.ts';

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(values.map((v) => Type.Literal(v)), description ? { description } : {});

const windowFields = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'start of the period (inclusive, with a zone); 30 days before `to` by default' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'end of the period (exclusive, with a zone); now by default' })),
  unitId: Type.Optional(Type.Integer({ minimum: 1, description: 'narrow to this unit subtree (within your own)' })),
  tz: Type.Optional(Type.String({ maxLength: 64, description: 'IANA zone of days, weeks and months; the ticket zone by default' })),
  format: Type.Optional(literals(FORMATS, 'json (default), or the table as csv or xlsx')),
};

export const WindowQuery = Type.Object(windowFields, { additionalProperties: false });

export const TicketsQuery = Type.Object(
  { ...windowFields, groupBy: Type.Optional(literals(TICKET_GROUPINGS, 'category by default')) },
  { additionalProperties: false },
);

export const HotspotsQuery = Type.Object(
  {
    ...windowFields,
    cellMeters: Type.Optional(Type.Integer({ minimum: 20, maximum: 5000, description: 'grid cell size; 200 m by default' })),
    minCount: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'tickets of one category that make a cell recurring; 3 by default' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

export const TraceQuery = Type.Object(
  {
    ...windowFields,
    measure: literals(['total', ...TICKET_MEASURES] as const, 'which count to list the tickets of'),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
);
