/**
 * `new Date(ms).toISOString()` without the Date: every stored position is written out as an ISO time twice
 * (COPY text and its MQTT message), and the Date round trip cost ~0.5 µs of ingest's ~18 µs per position.
 * The day's prefix is remembered (fixes of one batch share a day), the time of day is arithmetic.
 */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const DAY_MS = 86_400_000;
// toISOString's four-digit years; outside them it writes ±YYYYYY, which the Date path below keeps.
const FIRST_DAY = Date.UTC(0, 0, 1) / DAY_MS;
const LAST_DAY = Date.UTC(9999, 11, 31) / DAY_MS;

let cachedDay = Number.NaN;
let cachedPrefix = '';

/** The same text as `new Date(ms).toISOString()` (fractions of a millisecond dropped, as Date does). */
export function isoTime(ms: number): string {
  const whole = Math.trunc(ms);
  const day = Math.floor(whole / DAY_MS);
  if (!(day >= FIRST_DAY && day <= LAST_DAY)) return new Date(ms).toISOString();
  if (day !== cachedDay) {
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    cachedDay = day;
  }
  const inDay = whole - day * DAY_MS;
  const seconds = Math.floor(inDay / 1_000);
  const minutes = Math.floor(seconds / 60);
  return `${cachedPrefix}${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}:${TWO_DIGITS[seconds % 60]}.${THREE_DIGITS[inDay % 1_000]}Z`;
}
