import type { BufferReader } from '../buffer-reader.ts';
import type { BufferWriter } from '../buffer-writer.ts';
import { FrameError } from '../frame-error.ts';
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
import { COMPILED_ITEMS, ITEM_FIELD_LENGTH, LOCATION_ITEMS, RAW_ITEM_KEYS, type CompiledItem } from './layouts.ts';
import { readBcdTime, writeBcdTime } from './time.ts';

const AREA_BIT = 1 << 20;
const ROUTE_BIT = 1 << 21;
const AREA_ITEM = 0x12;

/** The shared hidden class of every item attribute value the table walker produces. */
type ItemValue = number | string | Record<string, number | string>;

/**
 * §8.18: the 28-byte base block, then additional items up to `end`. Known items follow LOCATION_ITEMS;
 * unknown and vendor items, and known ids with a length the table does not expect, stay as hex
 * (`item0xE1`). A repeated id keeps its last value.
 */
export function readLocation(
  reader: BufferReader,
  end: number,
  uniqueId: string,
  offsetMinutes: number,
  lenient: boolean,
): Position {
  const alarm = reader.u32('alarm');
  const status = reader.u32('status');
  const latRaw = reader.u32('latitude');
  const lonRaw = reader.u32('longitude');
  const altitudeM = reader.i16('altitude');
  const speed = reader.u16('speed');
  const course = reader.u16('course');
  const fixTimeMs = readBcdTime(reader, offsetMinutes, lenient);
  const attributes: Record<string, unknown> = { alarm, status };
  let odometerKm: number | null = null;
  let fuelL: number | null = null;
  let satellites: number | null = null;
  while (reader.offset < end) {
    const id = reader.u8('item id');
    const length = reader.u8('item length');
    if (reader.offset + length > end) {
      if (!lenient) throw new FrameError('length', `item 0x${hex2(id)} claims ${length} byte(s), ${end - reader.offset} left`);
      break;
    }
    const item = COMPILED_ITEMS[id];
    const value = item ? readItem(reader, item, length) : undefined;
    if (value === undefined) {
      attributes[RAW_ITEM_KEYS[id]!] = reader.bytes(length, 'item').toString('hex');
      continue;
    }
    attributes[item!.layout.key] = value;
    if (id === 0x01) odometerKm = value as number;
    else if (id === 0x02) fuelL = value as number;
    else if (id === 0x31) satellites = value as number;
  }
  if (status !== 0) attributes.statusFlags = bitNames(status, STATUS_BITS);
  attributes.load = LOAD_STATES[(status >>> STATUS_LOAD_SHIFT) & 3];
  return {
    uniqueId,
    fixTimeMs,
    lat: (status & STATUS_SOUTH ? -latRaw : latRaw) / 1e6,
    lon: (status & STATUS_WEST ? -lonRaw : lonRaw) / 1e6,
    altitudeM,
    speedKmh: speed / 10,
    course,
    valid: (status & STATUS_LOCATED) !== 0,
    satellites,
    ignition: (status & STATUS_ACC) !== 0,
    odometerKm,
    fuelL,
    alarms: alarm === 0 ? [] : alarmsOf(alarm, attributes),
    attributes,
  };
}

/** Walks one item's fields; undefined when the length does not fit the layout (kept as hex instead). */
function readItem(reader: BufferReader, item: CompiledItem, length: number): ItemValue | undefined {
  const { layout } = item;
  if (length !== item.fullLength && length !== item.minLength) return undefined;
  if (layout.hexLength !== undefined) return reader.bytes(length, layout.key).toString('hex');
  const fields = layout.fields;
  if (fields.length === 1) return readItemField(reader, fields[0]!.type, fields[0]!.scale, layout.key);
  const count = length === item.fullLength ? fields.length : layout.optionalAfter!;
  const value: Record<string, number> = {};
  for (let i = 0; i < count; i++) value[fields[i]!.name] = readItemField(reader, fields[i]!.type, fields[i]!.scale, layout.key);
  return value;
}

function readItemField(reader: BufferReader, type: string, scale: number | undefined, field: string): number {
  let raw: number;
  if (type === 'u8') raw = reader.u8(field);
  else if (type === 'u16') raw = reader.u16(field);
  else if (type === 'u32') raw = reader.u32(field);
  else if (type === 'i16') raw = reader.i16(field);
  else {
    const word = reader.u16(field);
    raw = word & 0x8000 ? -(word & 0x7fff) : word;
  }
  return scale === undefined ? raw : Math.round(raw * scale * 1000) / 1000;
}

function alarmsOf(alarm: number, attributes: Record<string, unknown>): Alarm[] {
  const alarms: Alarm[] = [];
  for (const row of ALARM_BITS) {
    if ((alarm & (1 << row.bit)) !== 0 && row.alarm && !alarms.includes(row.alarm)) alarms.push(row.alarm);
  }
  if (alarm & (AREA_BIT | ROUTE_BIT)) {
    // Table 29: direction 0 is entering, 1 leaving; without item 0x12 the bit says neither.
    const area = attributes.areaAlarm as Record<string, number> | undefined;
    if (area?.direction === 0) alarms.push('geofenceEnter');
    else if (area?.direction === 1) alarms.push('geofenceExit');
  }
  attributes.alarmFlags = bitNames(alarm, ALARM_BITS);
  return alarms;
}

function bitNames(word: number, table: readonly { bit: number; name: string }[]): string[] {
  const names: string[] = [];
  for (const row of table) if ((word & (1 << row.bit)) !== 0) names.push(row.name);
  return names;
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
