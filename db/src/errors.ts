/** SQLSTATE 23505, raised by pg and PGlite alike; the API turns it into 409. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

// Errors that say the database cannot be reached just now, or has no free connection, rather than that the
// statement was wrong: pg-pool's own messages (no code), the socket's, and PostgreSQL's shutdown and
// too-many-connections states.
const UNAVAILABLE_MESSAGES = ['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout', 'Connection terminated unexpectedly'];
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300']);

/** The database is down, restarting or out of connections for now: a condition that passes (the API answers 503). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || (typeof message === 'string' && UNAVAILABLE_MESSAGES.includes(message));
}
