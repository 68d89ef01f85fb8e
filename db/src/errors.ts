/** SQLSTATE 23505, raised by pg and PGlite alike; the API turns it into 409. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
