/** A device's own speed limit is kept in its attributes under this name: devices have no column for it. */
export const SPEED_LIMIT_ATTRIBUTE = 'speedLimitKmh';

/** The limit stored in a device's attributes; null for none (or for a value no km/h limit can be). */
export function speedLimitOf(attributes: Readonly<Record<string, unknown>>): number | null {
  const value = attributes[SPEED_LIMIT_ATTRIBUTE];
  // Rows written before the devices API checked the field may hold the limit as text.
  const limit = typeof value === 'string' ? Number(value) : value;
  return typeof limit === 'number' && Number.isFinite(limit) && limit > 0 ? limit : null;
}
