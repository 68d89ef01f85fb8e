import type { AsciiBuffer } from './ascii-buffer.ts';

const MINUTE_MS = 60_000;
const COLON_PREFIX = 17;
const DOT = 46;
const ZULU = 90;
// Years that toISOString writes with four digits; outside them it writes ±YYYYYY and the prefix shifts.
const FIRST_MS = Date.UTC(0, 0, 1);
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59);

/**
 * Writes epoch milliseconds as ISO 8601 UTC, exactly as Date#toISOString writes it, without a Date or a
 * string per call: the "YYYY-MM-DDTHH:MM:" prefix is kept while fixes stay in the same minute, as they do
 * at 1 Hz. One writer per stream, since it remembers the last minute.
 */
export function createIsoWriter(): (out: AsciiBuffer, ms: number) => void {
  let minuteStart = NaN;
  let prefix = '';
  return (out, ms) => {
    const whole = Math.round(ms);
    if (!(whole >= FIRST_MS && whole <= LAST_MS)) {
      out.text(new Date(whole).toISOString());
      return;
    }
    const within = ((whole % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
    if (whole - within !== minuteStart) {
      minuteStart = whole - within;
      prefix = new Date(minuteStart).toISOString().slice(0, COLON_PREFIX);
    }
    const seconds = Math.floor(within / 1000);
    out.text(prefix);
    out.digits(seconds, 2);
    out.byte(DOT);
    out.digits(within - seconds * 1000, 3);
    out.byte(ZULU);
  };
}
