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
import type { Field } from './layouts.ts';

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

const MS_PER_MINUTE = 60_000;
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

/** GT06 date and time: six binary bytes YY MM DD hh mm ss on the device clock, shifted to UTC. */
export function readTime(reader: BufferReader, offsetMinutes: number): number {
  const year = reader.u8('year');
  const month = reader.u8('month');
  const day = reader.u8('day');
  const hour = reader.u8('hour');
  const minute = reader.u8('minute');
  const second = reader.u8('second');
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new FrameError('invalid', `time: ${year}-${month}-${day} ${hour}:${minute}:${second} is not a date`);
  }
  const days = daysFromCivil(2000 + year, month, day);
  return days * MS_PER_DAY + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000;
}

/** Reads one field into `walked` (Position fields) or `attributes` (everything else). */
export function readField(
  reader: BufferReader,
  field: Field,
  walked: Walked,
  attributes: Record<string, unknown>,
  offsetMinutes: number,
): void {
  switch (field.kind) {
    case 'time':
      walked.fixTimeMs = readTime(reader, offsetMinutes);
      return;
    case 'satellites':
      walked.satellites = reader.u8('satellites') & 0x0f;
      return;
    case 'lat':
      walked.latUnits = reader.u32('latitude');
      return;
    case 'lon':
      walked.lonUnits = reader.u32('longitude');
      return;
    case 'speed':
      walked.speedKmh = reader.u8('speed');
      return;
    case 'courseStatus': {
      const word = reader.u16('course/status');
      walked.courseStatus = word;
      if (word & STATUS_ACC_PRESENT) walked.ignition = (word & STATUS_ACC_ON) !== 0;
      return;
    }
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
