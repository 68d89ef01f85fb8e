import { FrameError } from '../frame-error.ts';
import { hexOf } from './digits.ts';
import { COMPILED_ITEMS, RAW_ITEM_KEYS, type CompiledItem } from './layouts.ts';

/** The numbers the base block needs from the items, gathered while walking them. */
export interface ItemTotals {
  odometerKm: number | null;
  fuelL: number | null;
  satellites: number | null;
}

/**
 * §8.18 additional items in `buffer[at, end)` into `attributes`; returns where they stopped. Lengths are
 * checked once per item against `end`, then fields are read straight from the buffer: this loop runs a
 * dozen times per position. An item running past `end` is a 'length' error, or ends the walk if lenient.
 */
export function readItems(
  buffer: Buffer,
  at: number,
  end: number,
  attributes: Record<string, unknown>,
  totals: ItemTotals,
  lenient: boolean,
): number {
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
    const item = COMPILED_ITEMS[id];
    const value = item === undefined ? undefined : readItem(buffer, at, item, length);
    if (value === undefined) {
      attributes[RAW_ITEM_KEYS[id]!] = hexOf(buffer, at, at + length);
    } else {
      attributes[item!.key] = value;
      if (id === 0x01) totals.odometerKm = value as number;
      else if (id === 0x02) totals.fuelL = value as number;
      else if (id === 0x31) totals.satellites = value as number;
    }
    at += length;
  }
  return at;
}

/** One item by its compiled layout; undefined when the length fits neither form (kept as hex instead). */
function readItem(buffer: Buffer, at: number, item: CompiledItem, length: number): number | string | Record<string, number> | undefined {
  const full = length === item.fullLength;
  if (!full && length !== item.minLength) return undefined;
  if (item.hex) return hexOf(buffer, at, at + length);
  if (item.single) return scaled(readField(buffer, at, item.kinds[0]!), item.scales[0]!);
  const count = full ? item.names.length : item.shortCount;
  // Cloning the layout's template gives every value of one item the same shape.
  const value: Record<string, number> = { ...(full ? item.template : item.shortTemplate) };
  for (let i = 0; i < count; i++) {
    value[item.names[i]!] = scaled(readField(buffer, at, item.kinds[i]!), item.scales[i]!);
    at += item.sizes[i]!;
  }
  return value;
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
