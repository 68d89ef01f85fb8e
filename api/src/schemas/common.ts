import { Type, type Static } from '@fastify/type-provider-typebox';

/** Database ids: positive integers (PostgreSQL `integer`, so an id past its range is a 400, not a database error). */
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const IdParams = Type.Object({ id: Id });
export type IdParams = Static<typeof IdParams>;

/** A time on the way in: ISO 8601 with a zone (`2026-11-28T19:00:00Z`, `…+08:00`). */
export const DateTime = Type.String({ format: 'date-time', description: 'ISO 8601 with a time zone' });

/**
 * A time on the way out: the handler may return a Date (as database rows hold them); the serializer writes
 * it as ISO 8601 in UTC (`…Z`).
 */
export const Timestamp = Type.Unsafe<Date | string>(Type.String({ format: 'date-time' }));
export const NullableTimestamp = Type.Unsafe<Date | string | null>({ type: ['string', 'null'], format: 'date-time' });

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'the request field at fault (400 only)' })),
  },
  { $id: 'ErrorResponse', description: 'every error answer has this shape' },
);

/** `response` entries for the usual error statuses of a route, all of the shared shape. */
export function errors(...codes: Array<400 | 401 | 403 | 404 | 409 | 413 | 429 | 503>): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(codes.map((code) => [code, ErrorResponse]));
}

/** Coordinates: WGS-84 decimal degrees. */
export const Lat = Type.Number({ minimum: -90, maximum: 90 });
export const Lon = Type.Number({ minimum: -180, maximum: 180 });
