import { FrameError } from '../frame-error.ts';
import { readCommonItem } from './common-items.ts';
import { hexOf } from './digits.ts';
import { COMPILED_ITEMS, RAW_ITEM_KEYS, type CompiledItem } from './layouts.ts';

/**
 * The items of one position, gathered in order before its attributes object is built, plus the numbers the
 * base block needs from them. One instance is reused: a position is read to completion before the next.
 */
export interface GatheredItems {
  count: number;
  readonly keys: string[];
  readonly values: unknown[];
  odometerKm: number | null;
  fuelL: number | null;
  satellites: number | null;
}

export function createGatheredItems(): GatheredItems {
  return { count: 0, keys: [], values: [], odometerKm: null, fuelL: null, satellites: null };
}

/**
 * §8.18 additional items in `buffer[at, end)` into `items`; returns where they stopped. Lengths are
 * checked once per item against `end`, then fields are read straight from the buffer: this loop runs a
 * dozen times per position. The items most terminals send take the hand-written readers of common-items.ts;
 * the rest, and common ids with an odd length, take the compiled table. An item running past `end` is a
 * 'length' error, or ends the walk if lenient.
 */
export function readItems(buffer: Buffer, at: number, end: number, items: GatheredItems, lenient: boolean): number {
  items.count = 0;
  items.odometerKm = items.fuelL = items.satellites = null;
  while (at < end) {
    if (at + 2 > end) {
      if (lenient) return end;
      throw new FrameError('short', `frame too short reading item header: needs 2 byte(s) at offset ${at}, 1 left`);
    }
    const id = buffer[at]!;
    const length = buffer[at + 1]!;
    at += 2;
    if (at + length > end) {
      if (lenient) return end;
      throw new FrameError('length', `item 0x${RAW_ITEM_KEYS[id]!.slice(6)} claims ${length} byte(s), ${end - at} left`);
    }
    const n = items.count++;
    const common = readCommonItem(buffer, at, id, length);
    const item = COMPILED_ITEMS[id];
    const value = common !== undefined ? common : item === undefined ? undefined : readItem(buffer, at, item, length);
    if (value === undefined) {
      items.keys[n] = RAW_ITEM_KEYS[id]!;
      items.values[n] = hexOf(buffer, at, at + length);
    } else {
      items.keys[n] = item!.key;
      items.values[n] = value;
      if (id === 0x01) items.odometerKm = value as number;
      else if (id === 0x02) items.fuelL = value as number;
      else if (id === 0x31) items.satellites = value as number;
    }
    at += length;
  }
  return at;
}

/** Appends an attribute after the items (flags derived from the base block), in the same order. */
export function addAttribute(items: GatheredItems, key: string, value: unknown): void {
  const n = items.count++;
  items.keys[n] = key;
  items.values[n] = value;
}

/** Item slots filled by the object literal in buildAttributes; further items are added one by one. */
const LITERAL_SLOTS = 16;

/**
 * `{ alarm, status, ...items and added attributes in order }`, a repeated key keeping its first place and last value. One object
 * literal with a computed key per slot is about three times faster than adding keys in a loop: V8 sizes the
 * object once, and each slot has its own inline cache, which stays monomorphic for a terminal that sends the
 * same items every time, where one store site seeing every key goes megamorphic. Unused slots define
 * `status` again with its own value, which adds no key.
 */
export function buildAttributes(alarm: number, status: number, items: GatheredItems): Record<string, unknown> {
  const k = items.keys;
  const v = items.values;
  for (let i = items.count; i < LITERAL_SLOTS; i++) {
    k[i] = 'status';
    v[i] = status;
  }
  const attributes: Record<string, unknown> = {
    alarm,
    status,
    [k[0]!]: v[0],
    [k[1]!]: v[1],
    [k[2]!]: v[2],
    [k[3]!]: v[3],
    [k[4]!]: v[4],
    [k[5]!]: v[5],
    [k[6]!]: v[6],
    [k[7]!]: v[7],
    [k[8]!]: v[8],
    [k[9]!]: v[9],
    [k[10]!]: v[10],
    [k[11]!]: v[11],
    [k[12]!]: v[12],
    [k[13]!]: v[13],
    [k[14]!]: v[14],
    [k[15]!]: v[15],
  };
  for (let i = LITERAL_SLOTS; i < items.count; i++) attributes[k[i]!] = v[i];
  return attributes;
}

/** One item by its compiled layout; undefined when the length fits neither form (kept as hex instead). */
export function readItem(buffer: Buffer, at: number, item: CompiledItem, length: number): number | string | Record<string, number> | undefined {
  const full = length === item.fullLength;
  if (!full && length !== item.minLength) return undefined;
  if (item.hex) return hexOf(buffer, at, at + length);
  if (item.single) {
    const raw = readField(buffer, at, item.kind);
    // raw / 10 is the double nearest the exact tenth, as Math.round(raw * 0.1 * 1000) / 1000 is.
    return item.divisor === 1 ? raw : item.divisor !== 0 ? raw / item.divisor : scaled(raw, item.scales[0]!);
  }
  return readFields(buffer, at, item, full ? item.names.length : item.shortCount);
}

/**
 * A many-field item as an object of its first `count` fields. Literals for the common sizes build the object
 * in one step (as in buildAttributes); longer layouts fall back to adding fields one by one.
 */
function readFields(buffer: Buffer, at: number, item: CompiledItem, count: number): Record<string, number> {
  const names = item.names;
  switch (count) {
    case 1:
      return { [names[0]!]: fieldOf(buffer, at, item, 0) };
    case 2:
      return { [names[0]!]: fieldOf(buffer, at, item, 0), [names[1]!]: fieldOf(buffer, at, item, 1) };
    case 3:
      return { [names[0]!]: fieldOf(buffer, at, item, 0), [names[1]!]: fieldOf(buffer, at, item, 1), [names[2]!]: fieldOf(buffer, at, item, 2) };
    default: {
      const value: Record<string, number> = {};
      for (let i = 0; i < count; i++) value[names[i]!] = fieldOf(buffer, at, item, i);
      return value;
    }
  }
}

function fieldOf(buffer: Buffer, at: number, item: CompiledItem, index: number): number {
  return scaled(readField(buffer, at + item.offsets[index]!, item.kinds[index]!), item.scales[index]!);
}

function readField(buffer: Buffer, at: number, kind: number): number {
  switch (kind) {
    case 1:
      return buffer[at]!;
    case 2:
      return (buffer[at]! << 8) | buffer[at + 1]!;
    case 4:
      return buffer.readUInt32BE(at);
    case -2:
      return buffer.readInt16BE(at);
    default: {
      // Sign and magnitude (2019 table 27, 0x06): the top bit is the sign.
      const word = (buffer[at]! << 8) | buffer[at + 1]!;
      return word & 0x8000 ? -(word & 0x7fff) : word;
    }
  }
}

/** Scaled values are rounded to 1/1000 so 0.1 steps read as 123.4, not 123.40000000000001. */
function scaled(raw: number, scale: number): number {
  return scale === 1 ? raw : Math.round(raw * scale * 1000) / 1000;
}
