import type { BufferReader } from '../buffer-reader.ts';
import type { BufferWriter } from '../buffer-writer.ts';
import type { Alarm, Position } from '../position.ts';
import {
  ALARM_BITS,
  LOAD_STATES,
  STATUS_ACC,
  STATUS_BITS,
  STATUS_LOAD_SHIFT,
  STATUS_LOCATED,
  STATUS_SOUTH,
  STATUS_WEST,
} from './constants.ts';
import { BitNames } from './bit-names.ts';
import { addAttribute, buildAttributes, createGatheredItems, readItems } from './items.ts';
import { ITEM_FIELD_LENGTH, LOCATION_BASE_LENGTH, LOCATION_ITEMS } from './layouts.ts';
import { checkRange, checkUnsigned } from './range.ts';
import { readBcdTime, writeBcdTime } from './time.ts';
import { u16At, u32At } from './words.ts';

/** Where the BCD time starts in the base block (after alarm, status, lat, lon, altitude, speed, course). */
const TIME_AT = 22;
const AREA_BIT = 1 << 20;
const ROUTE_BIT = 1 << 21;
// Reused for every position: readLocation runs to completion before the next call, and copies what it needs out.
const gathered = createGatheredItems();
const STATUS_NAMES = new BitNames(STATUS_BITS);
const ALARM_NAMES = new BitNames(ALARM_BITS);
const ALARM_BY_BIT = Array.from({ length: 32 }, (_, bit) => ALARM_BITS.find((row) => row.bit === bit)?.alarm);

/**
 * §8.18: the 28-byte base block, then additional items up to `end` (see readItems). Known items follow
 * LOCATION_ITEMS; unknown and vendor items, and known ids with a length the table does not expect, stay
 * as hex (`item0xE1`). A repeated id keeps its last value. `buffer` is the one `reader` walks.
 */
export function readLocation(
  reader: BufferReader,
  buffer: Buffer,
  end: number,
  uniqueId: string,
  offsetMinutes: number,
  lenient: boolean,
): Position {
  // One length check for the whole block; when it fails, the field-by-field reads name the field that is short.
  if (reader.remaining < LOCATION_BASE_LENGTH) throwShortBase(reader);
  const at = reader.offset;
  const alarm = u32At(buffer, at);
  const status = u32At(buffer, at + 4);
  const latRaw = u32At(buffer, at + 8);
  const lonRaw = u32At(buffer, at + 12);
  const altitudeM = ((buffer[at + 16]! << 24) >> 16) | buffer[at + 17]!;
  const speed = u16At(buffer, at + 18);
  const course = u16At(buffer, at + 20);
  reader.skip(TIME_AT, 'location');
  const fixTimeMs = readBcdTime(reader, buffer, offsetMinutes, lenient);
  const items = gathered;
  reader.skip(readItems(buffer, reader.offset, end, items, lenient) - reader.offset, 'items');
  if (status !== 0) addAttribute(items, 'statusFlags', STATUS_NAMES.of(status));
  addAttribute(items, 'load', LOAD_STATES[(status >>> STATUS_LOAD_SHIFT) & 3]);
  const attributes = buildAttributes(alarm, status, items);
  return {
    uniqueId,
    fixTimeMs,
    lat: (status & STATUS_SOUTH ? -latRaw : latRaw) / 1e6,
    lon: (status & STATUS_WEST ? -lonRaw : lonRaw) / 1e6,
    altitudeM,
    speedKmh: speed / 10,
    course,
    valid: (status & STATUS_LOCATED) !== 0,
    satellites: items.satellites,
    ignition: (status & STATUS_ACC) !== 0,
    odometerKm: items.odometerKm,
    fuelL: items.fuelL,
    // alarmFlags is added after the attributes literal, by one named store: in a literal slot it would make
    // that slot's store see two keys as frames with and without alarms interleave (measured slower).
    alarms: alarm === 0 ? [] : alarmsOf(alarm, attributes),
    attributes,
  };
}

/** Reads the base block field by field on a body too short for it, so the error names the first missing field. */
function throwShortBase(reader: BufferReader): never {
  reader.u32('alarm');
  reader.u32('status');
  reader.u32('latitude');
  reader.u32('longitude');
  reader.i16('altitude');
  reader.u16('speed');
  reader.u16('course');
  reader.skip(LOCATION_BASE_LENGTH - TIME_AT, 'time');
  throw new Error('unreachable: the base block was short');
}

/** The normalised alarms of an alarm word; also sets its `alarmFlags` attribute. */
function alarmsOf(alarm: number, attributes: Record<string, unknown>): Alarm[] {
  const alarms: Alarm[] = [];
  for (let rest = alarm >>> 0; rest !== 0; rest = (rest & (rest - 1)) >>> 0) {
    const normalised = ALARM_BY_BIT[31 - Math.clz32(rest & -rest)];
    if (normalised !== undefined && !alarms.includes(normalised)) alarms.push(normalised);
  }
  if (alarm & (AREA_BIT | ROUTE_BIT)) {
    // Table 29: direction 0 is entering, 1 leaving; without item 0x12 the bit says neither.
    const area = attributes.areaAlarm as Record<string, number> | undefined;
    if (area?.direction === 0) alarms.push('geofenceEnter');
    else if (area?.direction === 1) alarms.push('geofenceExit');
  }
  attributes.alarmFlags = ALARM_NAMES.of(alarm);
  return alarms;
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0').toUpperCase();
}

/** What a terminal-side encoder needs to write a 0x0200 block; signs of lat/lon set the south/west bits. */
export interface Jt808LocationFields {
  alarm?: number;
  status?: number;
  lat: number;
  lon: number;
  altitudeM?: number;
  speedKmh?: number;
  course?: number;
  fixTimeMs: number;
  /** Additional items in order: numbers are written through LOCATION_ITEMS (one-field items), bytes as is. */
  items?: readonly { id: number; value: number | Uint8Array }[];
}

export function writeLocation(writer: BufferWriter, fields: Jt808LocationFields, offsetMinutes: number): void {
  checkUnsigned('alarm', fields.alarm ?? 0, 4);
  checkUnsigned('status', fields.status ?? 0, 4);
  checkRange('lat', fields.lat, -90, 90);
  checkRange('lon', fields.lon, -180, 180);
  checkRange('altitudeM', fields.altitudeM ?? 0, -32768, 32767);
  checkRange('speedKmh', fields.speedKmh ?? 0, 0, 6553.5);
  checkUnsigned('course', fields.course ?? 0, 2);
  let status = (fields.status ?? STATUS_LOCATED) & ~(STATUS_SOUTH | STATUS_WEST);
  if (fields.lat < 0) status |= STATUS_SOUTH;
  if (fields.lon < 0) status |= STATUS_WEST;
  writer
    .u32(fields.alarm ?? 0)
    .u32(status >>> 0)
    .u32(Math.round(Math.abs(fields.lat) * 1e6))
    .u32(Math.round(Math.abs(fields.lon) * 1e6))
    .u16(fields.altitudeM ?? 0)
    .u16(Math.round((fields.speedKmh ?? 0) * 10))
    .u16(fields.course ?? 0);
  writeBcdTime(writer, fields.fixTimeMs, offsetMinutes);
  for (const item of fields.items ?? []) writeItem(writer, item.id, item.value);
}

function writeItem(writer: BufferWriter, id: number, value: number | Uint8Array): void {
  if (typeof value !== 'number') {
    if (value.length > 255) throw new RangeError(`item 0x${hex2(id)} is ${value.length} bytes, more than 255`);
    writer.u8(id).u8(value.length).bytes(value);
    return;
  }
  const field = LOCATION_ITEMS.get(id)?.fields;
  if (!field || field.length !== 1 || field[0]!.type === 'hex') {
    throw new RangeError(`item 0x${hex2(id)} takes bytes, not a number`);
  }
  const { type, scale } = field[0]!;
  const raw = Math.round(scale === undefined ? value : value / scale);
  const length = ITEM_FIELD_LENGTH[type as 'u8'];
  writer.u8(id).u8(length);
  if (type === 'u8') writer.u8(raw);
  else if (type === 'u32') writer.u32(raw);
  else if (type === 'signMagnitude16') writer.u16(raw < 0 ? 0x8000 | -raw : raw);
  else writer.u16(raw);
}
