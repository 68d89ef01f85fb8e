const MINUTE_MS = 60_000;
// Years that toISOString writes with four digits; outside them it writes ±YYYYYY and the prefix shifts.
const FIRST_MS = Date.UTC(0, 0, 1);
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59);

/**
 * Epoch milliseconds → ISO 8601 UTC, exactly as Date#toISOString writes it, without a Date per call: the
 * "YYYY-MM-DDTHH:MM:" prefix is kept while fixes stay in the same minute, as they do at 1 Hz. One formatter
 * per stream, since it remembers the last minute.
 */
export function createIsoFormatter(): (ms: number) => string {
  let minuteStart = NaN;
  let prefix = '';
  return (ms) => {
    const whole = Math.round(ms);
    if (!(whole >= FIRST_MS && whole <= LAST_MS)) return new Date(whole).toISOString();
    const within = ((whole % MINUTE_MS) + MINUTE_MS) % MINUTE_MS;
    if (whole - within !== minuteStart) {
      minuteStart = whole - within;
      prefix = new Date(minuteStart).toISOString().slice(0, 17);
    }
    const seconds = Math.floor(within / 1000);
    const millis = within - seconds * 1000;
    return `${prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  };
}
