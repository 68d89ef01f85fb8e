import { putBytes, putDigits, putText } from './ascii-buffer.ts';

const MINUTE_MS = 60_000;
const COLON_PREFIX = 17;
const DOT = 46;
const ZULU = 90;
// Years that toISOString writes with four digits; outside them it writes ±YYYYYY and the prefix shifts.
const FIRST_MS = Date.UTC(0, 0, 1);
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59);

/**
 * Writes epoch milliseconds as ISO 8601 UTC, exactly as Date#toISOString writes it, without a Date or a
 * string per call: the "YYYY-MM-DDTHH:MM:" prefix is kept as bytes while fixes stay in the same minute, as
 * they do at 1 Hz. Writes at `at` (27 bytes of room at most) and returns where it stopped. One writer per
 * stream, since it remembers the last minute.
 */
export function createIsoWriter(): (target: Buffer, at: number, ms: number) => number {
  let minuteStart = NaN;
  const prefix = Buffer.alloc(COLON_PREFIX);
  return (target, at, ms) => {
    const whole = Math.round(ms);
    if (!(whole >= FIRST_MS && whole <= LAST_MS)) return putText(target, at, new Date(whole).toISOString());
    const within = ((whole % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
    if (whole - within !== minuteStart) {
      minuteStart = whole - within;
      prefix.write(new Date(minuteStart).toISOString().slice(0, COLON_PREFIX), 'latin1');
    }
    at = putBytes(target, at, prefix);
    const seconds = Math.floor(within / 1000);
    at = putDigits(target, at, seconds, 2);
    target[at++] = DOT;
    at = putDigits(target, at, within - seconds * 1000, 3);
    target[at++] = ZULU;
    return at;
  };
}
