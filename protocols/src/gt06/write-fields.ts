import type { BufferWriter } from '../buffer-writer.ts';
import type { Position } from '../position.ts';
import {
  COORDINATE_SCALE,
  GPS_INFO_LENGTH_NIBBLE,
  LBS_LENGTH,
  STATUS_ACC_ON,
  STATUS_ACC_PRESENT,
  STATUS_NORTH,
  STATUS_VALID,
  STATUS_WEST,
} from './constants.ts';
import type { Field, FieldKind } from './layouts.ts';

const MS_PER_MINUTE = 60_000;
const MAX_UNSIGNED: Partial<Record<FieldKind, number>> = {
  u8: 0xff,
  u16: 0xffff,
  u24: 0xffffff,
  u32: 0xffffffff,
  alarmCode: 0xff,
  acc: 0xff,
  centivolts: 0xffff,
};

function unsigned(value: unknown, kind: FieldKind, name: string): number {
  const max = MAX_UNSIGNED[kind] ?? 0xffffffff;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function coordinate(degrees: number, limit: number, name: string): number {
  if (!Number.isFinite(degrees) || Math.abs(degrees) > limit) {
    throw new RangeError(`${name} must be a number from -${limit} to ${limit}, got ${degrees}`);
  }
  return Math.round(Math.abs(degrees) * COORDINATE_SCALE);
}

/** ACC travels in the course word only when the layout has no ACC byte of its own (0x22 has one). */
function courseStatus(position: Position): number {
  if (!Number.isFinite(position.course) || position.course < 0 || position.course > 360) {
    throw new RangeError(`course must be a number from 0 to 360, got ${position.course}`);
  }
  // Simulated and interpolated headings are fractional; the wire carries whole degrees 0..359.
  let word = Math.round(position.course) % 360;
  if (position.lat >= 0) word |= STATUS_NORTH;
  if (position.lon < 0) word |= STATUS_WEST;
  if (position.valid) word |= STATUS_VALID;
  if (position.ignition !== null && position.attributes.acc === undefined) word |= STATUS_ACC_PRESENT | (position.ignition ? STATUS_ACC_ON : 0);
  return word;
}

/** Device-clock date and time as six binary bytes. */
export function writeTime(writer: BufferWriter, timeMs: number, offsetMinutes: number): void {
  const local = new Date(timeMs + offsetMinutes * MS_PER_MINUTE);
  const year = local.getUTCFullYear() - 2000;
  if (!Number.isFinite(timeMs) || year < 0 || year > 255) {
    throw new RangeError(`time must fall in the years 2000 to 2255, got ${Number.isFinite(timeMs) ? local.toISOString() : timeMs}`);
  }
  writer.u8(year).u8(local.getUTCMonth() + 1).u8(local.getUTCDate());
  writer.u8(local.getUTCHours()).u8(local.getUTCMinutes()).u8(local.getUTCSeconds());
}

function writeGps(writer: BufferWriter, position: Position, offsetMinutes: number): void {
  const satellites = GPS_INFO_LENGTH_NIBBLE | Math.min(15, unsigned(position.satellites ?? 0, 'u8', 'satellites'));
  const lat = coordinate(position.lat, 90, 'lat');
  const lon = coordinate(position.lon, 180, 'lon');
  const speed = unsigned(Math.round(position.speedKmh), 'u8', 'speedKmh');
  const word = courseStatus(position);
  writeTime(writer, position.fixTimeMs, offsetMinutes);
  writer.u8(satellites).u32(lat).u32(lon).u8(speed).u16(word);
}

/** The encoder's half of `readField`: the same field table, written from a Position and its attributes. */
export function writeField(writer: BufferWriter, field: Field, position: Position, offsetMinutes: number): void {
  const attributes = position.attributes;
  switch (field.kind) {
    case 'gps':
      return writeGps(writer, position, offsetMinutes);
    case 'lbsLength':
      writer.u8(LBS_LENGTH);
      return;
    case 'acc':
      writer.u8(unsigned(attributes[field.name] ?? (position.ignition ? 1 : 0), 'acc', field.name));
      return;
    case 'centivolts':
      writer.u16(unsigned(Math.round(Number(attributes[field.name] ?? 0) * 100), 'centivolts', field.name));
      return;
    case 'alarmCode':
    case 'u8':
      writer.u8(unsigned(attributes[field.name] ?? 0, field.kind, field.name));
      return;
    case 'u16':
      writer.u16(unsigned(attributes[field.name] ?? 0, 'u16', field.name));
      return;
    case 'u24':
      writer.u24(unsigned(attributes[field.name] ?? 0, 'u24', field.name));
      return;
    case 'u32':
      writer.u32(unsigned(attributes[field.name] ?? 0, 'u32', field.name));
      return;
  }
}
