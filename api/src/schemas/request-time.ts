import { HttpError } from '../plugins/errors.ts';

/**
 * A time the caller sent (checked against `DateTime`) as epoch milliseconds, or a 400 naming `field`. The
 * format check admits times that Date.parse cannot read, a leap second (`2026-12-31T23:59:60Z`) among them;
 * handed on as NaN they would fail in toISOString or in PostgreSQL, as a 500.
 */
export function requestTimeMs(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new HttpError(400, `${field}: ${value} is not a time this server can read (a leap second, or a year out of range)`, field);
  return ms;
}
