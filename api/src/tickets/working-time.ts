import { localParts, nextDate, weekdayOf, zonedToUtc } from './zoned-time.ts';

/**
 * A bureau's working calendar: which days are worked, the hours of a working day, public holidays, and
 * the weekend days worked in exchange for them (调休), all in the calendar's own zone.
 */
export interface WorkCalendar {
  timeZone: string;
  /** ISO weekdays normally worked, 1 = Monday. */
  workdays: number[];
  /** Working periods of a day as 'HH:MM' local times, in order, not overlapping. */
  hours: { start: string; end: string }[];
  /** 'YYYY-MM-DD' dates not worked although their weekday is. */
  holidays: string[];
  /** 'YYYY-MM-DD' dates worked although their weekday is not. */
  extraWorkdays: string[];
}

export const DEFAULT_CALENDAR: WorkCalendar = {
  timeZone: 'Asia/Shanghai',
  workdays: [1, 2, 3, 4, 5],
  hours: [
    { start: '08:30', end: '12:00' },
    { start: '13:30', end: '17:30' },
  ],
  holidays: [],
  extraWorkdays: [],
};

const HOUR_MS = 3_600_000;
// Ten years of days: a calendar with no working day at all must not loop for ever.
const MAX_DAYS = 3660;

function minutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h! * 60 + m!;
}

export function isWorkingDay(date: string, calendar: WorkCalendar): boolean {
  if (calendar.extraWorkdays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  return calendar.workdays.includes(weekdayOf(date));
}

/** The working periods of `date` as UTC instants. */
function periodsOf(date: string, calendar: WorkCalendar): [number, number][] {
  if (!isWorkingDay(date, calendar)) return [];
  return calendar.hours.map(({ start, end }) => [
    zonedToUtc(date, minutes(start), calendar.timeZone),
    zonedToUtc(date, minutes(end), calendar.timeZone),
  ]);
}

/** The instant `hours` working hours after `startMs` (a limit of 0 is due at the start). */
export function addWorkingHours(startMs: number, hours: number, calendar: WorkCalendar): number {
  let remaining = hours * HOUR_MS;
  if (remaining <= 0) return startMs;
  let date = localParts(startMs, calendar.timeZone).date;
  for (let day = 0; day < MAX_DAYS; day++, date = nextDate(date)) {
    for (const [from, to] of periodsOf(date, calendar)) {
      const begin = Math.max(from, startMs);
      if (begin >= to) continue;
      if (to - begin >= remaining) return begin + remaining;
      remaining -= to - begin;
    }
  }
  throw new Error(`the calendar has no working hours in ${MAX_DAYS} days after ${new Date(startMs).toISOString()}`);
}

/** Working milliseconds between two instants (0 when `toMs` is not after `fromMs`). */
export function workingMsBetween(fromMs: number, toMs: number, calendar: WorkCalendar): number {
  let total = 0;
  let date = localParts(fromMs, calendar.timeZone).date;
  const last = localParts(toMs, calendar.timeZone).date;
  for (let day = 0; day < MAX_DAYS && date <= last; day++, date = nextDate(date)) {
    for (const [from, to] of periodsOf(date, calendar)) {
      const begin = Math.max(from, fromMs);
      const end = Math.min(to, toMs);
      if (end > begin) total += end - begin;
    }
  }
  return total;
}
