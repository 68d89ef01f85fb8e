/**
 * Local calendar dates and wall-clock times in an IANA zone, through Intl only. Deadlines count working
 * hours of the bureau's own day, whatever zone the server runs in.
 */
export interface LocalParts {
  /** 'YYYY-MM-DD' */
  date: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

function fields(ms: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out;
}

/** Milliseconds to add to UTC to get the zone's wall clock at that instant. */
function offsetAt(ms: number, timeZone: string): number {
  const f = fields(ms, timeZone);
  const wall = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!, f.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const f = fields(ms, timeZone);
  const date = `${f.year}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
  const weekday = ((new Date(Date.UTC(f.year!, f.month! - 1, f.day!)).getUTCDay() + 6) % 7) + 1;
  return { date, weekday, minuteOfDay: f.hour! * 60 + f.minute! };
}

/** The instant at which the zone's clock shows `minuteOfDay` on `date`. */
export function zonedToUtc(date: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y!, m! - 1, d!, 0, minuteOfDay);
  const first = wall - offsetAt(wall, timeZone);
  // A second pass settles instants near a DST change, where the offset at the guess differs.
  return wall - offsetAt(first, timeZone);
}

export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
}

export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return ((new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7) + 1;
}
