import type { BufferReader } from '../buffer-reader.ts';
import { FrameError } from '../frame-error.ts';
import type { Alarm } from '../position.ts';
import {
  COORDINATE_SCALE,
  COURSE_MASK,
  GT06_ALARM_CODES,
  STATUS_ACC_ON,
  STATUS_ACC_PRESENT,
  STATUS_NORTH,
  STATUS_VALID,
  STATUS_WEST,
} from './constants.ts';
import { FIELD_SIZES, type Field } from './layouts.ts';

/** What walking a layout produced; one instance is reused, so callers copy out what they keep. */
export interface Walked {
  fixTimeMs: number;
  latUnits: number;
  lonUnits: number;
  speedKmh: number;
  courseStatus: number;
  satellites: number | null;
  ignition: boolean | null;
  alarmCode: number | null;
}

const MS_PER_DAY = 86_400_000;

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), for years from
 * 2000 on. Integer arithmetic, several times cheaper than Date.UTC on the hot path; out-of-range days
 * roll over exactly as Date.UTC's do.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** A device-clock date and time, `offsetMinutes` ahead of UTC, as UTC milliseconds; refuses impossible fields. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, offsetMinutes: number): number {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new FrameError('invalid', `time: ${year}-${month}-${day} ${hour}:${minute}:${second} is not a date`);
  }
  return daysFromCivil(2000 + year, month, day) * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
}

/** GT06 date and time: six binary bytes YY MM DD hh mm ss on the device clock, shifted to UTC. */
export function readTime(reader: BufferReader, offsetMinutes: number): number {
  const year = reader.u8('year');
  const month = reader.u8('month');
  const day = reader.u8('day');
  const hour = reader.u8('hour');
  const minute = reader.u8('minute');
  return utcMs(year, month, day, hour, minute, reader.u8('second'), offsetMinutes);
}

/**
 * The GPS block (§5.2.1): time 6, satellites 1, latitude 4, longitude 4, speed 1, course/status 2. It
 * starts every location and alarm body, so it is read as one bounds-checked block straight from the frame.
 */
function readGps(reader: BufferReader, frame: Buffer, walked: Walked, offsetMinutes: number): void {
  const at = reader.offset;
  reader.skip(FIELD_SIZES.gps, 'GPS block');
  walked.fixTimeMs = utcMs(frame[at]!, frame[at + 1]!, frame[at + 2]!, frame[at + 3]!, frame[at + 4]!, frame[at + 5]!, offsetMinutes);
  walked.satellites = frame[at + 6]! & 0x0f;
  walked.latUnits = frame.readUInt32BE(at + 7);
  walked.lonUnits = frame.readUInt32BE(at + 11);
  walked.speedKmh = frame[at + 15]!;
  const word = (frame[at + 16]! << 8) | frame[at + 17]!;
  walked.courseStatus = word;
  if (word & STATUS_ACC_PRESENT) walked.ignition = (word & STATUS_ACC_ON) !== 0;
}

/** Reads one field into `walked` (Position fields) or `attributes` (everything else). */
export function readField(
  reader: BufferReader,
  field: Field,
  walked: Walked,
  attributes: Record<string, unknown>,
  offsetMinutes: number,
  frame: Buffer,
): void {
  switch (field.kind) {
    case 'gps':
      return readGps(reader, frame, walked, offsetMinutes);
    case 'lbsLength':
      reader.u8('LBS length');
      return;
    case 'alarmCode': {
      const code = reader.u8(field.name);
      walked.alarmCode = code;
      attributes[field.name] = code;
      return;
    }
    case 'acc': {
      const acc = reader.u8(field.name);
      walked.ignition = acc !== 0;
      attributes[field.name] = acc;
      return;
    }
    case 'centivolts':
      attributes[field.name] = reader.u16(field.name) / 100;
      return;
    case 'u8':
      attributes[field.name] = reader.u8(field.name);
      return;
    case 'u16':
      attributes[field.name] = reader.u16(field.name);
      return;
    case 'u24':
      attributes[field.name] = reader.u24(field.name);
      return;
    case 'u32':
      attributes[field.name] = reader.u32(field.name);
      return;
  }
}

export function signedLat(walked: Walked): number {
  const degrees = walked.latUnits / COORDINATE_SCALE;
  return walked.courseStatus & STATUS_NORTH ? degrees : -degrees;
}

export function signedLon(walked: Walked): number {
  const degrees = walked.lonUnits / COORDINATE_SCALE;
  return walked.courseStatus & STATUS_WEST ? -degrees : degrees;
}

export function course(walked: Walked): number {
  return walked.courseStatus & COURSE_MASK;
}

export function fixValid(walked: Walked): boolean {
  return (walked.courseStatus & STATUS_VALID) !== 0;
}

export function alarmsOf(code: number | null): Alarm[] {
  const alarm = code === null ? undefined : GT06_ALARM_CODES.get(code);
  return alarm === undefined ? [] : [alarm];
}
