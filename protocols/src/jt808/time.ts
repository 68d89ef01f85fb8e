import type { BufferReader } from '../buffer-reader.ts';
import type { BufferWriter } from '../buffer-writer.ts';
import { FrameError } from '../frame-error.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Packed BCD byte → 0..99, or -1 where a nibble is above 9. */
const BCD_VALUE = Array.from({ length: 256 }, (_, byte) => ((byte >> 4) > 9 || (byte & 15) > 9 ? -1 : (byte >> 4) * 10 + (byte & 15)));
const FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second'];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil): integer math, no Date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The start of the last valid date read, keyed by its three BCD bytes. A fleet's fixes mostly share one
 * date, so the calendar arithmetic runs once per date rather than once per fix.
 */
let lastDateBytes = -1;
let lastDateMs = 0;

/**
 * BCD[6] YYMMDDhhmmss as milliseconds since the epoch, shifted from the terminal's zone to UTC.
 * Years are 2000–2099 (the field has two digits). A date that does not exist is 'invalid' unless lenient,
 * which lets day 0 or month 13 roll over as Date.UTC would.
 */
export function readBcdTime(reader: BufferReader, buffer: Buffer, offsetMinutes: number, lenient: boolean): number {
  const at = reader.offset;
  reader.skip(6, 'time');
  const dateBytes = (buffer[at]! << 16) | (buffer[at + 1]! << 8) | buffer[at + 2]!;
  if (dateBytes === lastDateBytes) {
    // BCD_VALUE is -1 for a byte that is not BCD: such a time takes the full path below, which names it.
    const hour = BCD_VALUE[buffer[at + 3]!]!;
    const minute = BCD_VALUE[buffer[at + 4]!]!;
    const second = BCD_VALUE[buffer[at + 5]!]!;
    if (hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59) {
      return lastDateMs + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
    }
  }
  const year = bcdAt(buffer, at, 0);
  const month = bcdAt(buffer, at, 1);
  const day = bcdAt(buffer, at, 2);
  const hour = bcdAt(buffer, at, 3);
  const minute = bcdAt(buffer, at, 4);
  const second = bcdAt(buffer, at, 5);
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59;
  if (!valid) {
    if (!lenient) throw new FrameError('invalid', `time ${[year, month, day, hour, minute, second].map(two).join('')} is not a date`);
    return Date.UTC(2000 + year, month - 1, day, hour, minute, second) - offsetMinutes * MINUTE_MS;
  }
  const dayMs = daysFromCivil(2000 + year, month, day) * DAY_MS;
  lastDateBytes = dateBytes;
  lastDateMs = dayMs;
  return dayMs + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
}

function bcdAt(buffer: Buffer, at: number, index: number): number {
  const value = BCD_VALUE[buffer[at + index]!]!;
  if (value < 0) throw new FrameError('invalid', `time ${FIELDS[index]}: byte 0x${buffer[at + index]!.toString(16)} is not BCD`);
  return value;
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

export function writeBcdTime(writer: BufferWriter, timeMs: number, offsetMinutes: number): void {
  const date = new Date(timeMs + offsetMinutes * MINUTE_MS);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(timeMs) || year < 2000 || year > 2099) {
    throw new RangeError(`time ${timeMs} is outside the BCD range 2000–2099`);
  }
  writer.bcd(
    two(year - 2000) +
      two(date.getUTCMonth() + 1) +
      two(date.getUTCDate()) +
      two(date.getUTCHours()) +
      two(date.getUTCMinutes()) +
      two(date.getUTCSeconds()),
    6,
  );
}
