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
      attributes[item!.layout.key] = value;
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
  if (length !== item.fullLength && length !== item.minLength) return undefined;
  const { layout, kinds } = item;
  if (layout.hexLength !== undefined) return hexOf(buffer, at, at + length);
  const fields = layout.fields;
  if (fields.length === 1) return scaled(readField(buffer, at, kinds[0]!), fields[0]!.scale);
  const count = length === item.fullLength ? fields.length : layout.optionalAfter!;
  // Cloning the layout's template gives every value of one item the same shape.
  const value: Record<string, number> = { ...(count === fields.length ? item.template : item.shortTemplate) };
  for (let i = 0; i < count; i++) {
    value[fields[i]!.name] = scaled(readField(buffer, at, kinds[i]!), fields[i]!.scale);
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

function scaled(raw: number, scale: number | undefined): number {
  return scale === undefined ? raw : Math.round(raw * scale * 1000) / 1000;
}
