import type { BufferReader } from '../buffer-reader.ts';
import type { BufferWriter } from '../buffer-writer.ts';
import { FrameError } from '../frame-error.ts';

const MINUTE_MS = 60_000;

/**
 * BCD[6] YYMMDDhhmmss as milliseconds since the epoch, shifted from the terminal's zone to UTC.
 * Years are 2000–2099 (the field has two digits). A date that does not exist is 'invalid' unless lenient.
 */
export function readBcdTime(reader: BufferReader, offsetMinutes: number, lenient: boolean): number {
  const year = reader.bcdByte('time year');
  const month = reader.bcdByte('time month');
  const day = reader.bcdByte('time day');
  const hour = reader.bcdByte('time hour');
  const minute = reader.bcdByte('time minute');
  const second = reader.bcdByte('time second');
  if (!lenient && (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)) {
    throw new FrameError('invalid', `time ${[year, month, day, hour, minute, second].map(two).join('')} is not a date`);
  }
  return Date.UTC(2000 + year, month - 1, day, hour, minute, second) - offsetMinutes * MINUTE_MS;
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
