import type { BufferReader } from '../buffer-reader.ts';
import type { BufferWriter } from '../buffer-writer.ts';
import { PARAMETER_TYPES } from './layouts.ts';
import { checkUnsigned } from './range.ts';
import type { Jt808Parameter } from './messages.ts';
import { decodeGbk, encodeGbk } from './text.ts';

const WIDTHS = { u8: 1, u16: 2, u32: 4 } as const;

/** §8.8 table 10: DWORD id, BYTE length, value; typed by PARAMETER_TYPES, unknown ids by their length. */
export function readParameters(reader: BufferReader, count: number): Jt808Parameter[] {
  const params: Jt808Parameter[] = [];
  for (let i = 0; i < count; i++) {
    const id = reader.u32('parameter id');
    const length = reader.u8('parameter length');
    const bytes = reader.bytes(length, 'parameter value');
    const type = PARAMETER_TYPES.get(id);
    let value: number | string | Buffer;
    if (type === 'string') value = decodeGbk(bytes);
    else if (length === 1) value = bytes[0]!;
    else if (length === 2) value = bytes.readUInt16BE(0);
    else if (length === 4) value = bytes.readUInt32BE(0);
    else value = Buffer.from(bytes);
    params.push({ id, value });
  }
  return params;
}

export function writeParameters(writer: BufferWriter, params: readonly Jt808Parameter[]): void {
  for (const { id, value } of params) {
    writer.u32(id);
    if (typeof value === 'string') {
      // A DWORD parameter sent as text would be read by the terminal as a different number.
      const type = PARAMETER_TYPES.get(id);
      if (type !== undefined && type !== 'string') throw new RangeError(`parameter 0x${id.toString(16)} takes a number, not text`);
      const bytes = encodeGbk(value);
      writer.u8(checkLength(id, bytes.length)).bytes(bytes);
    } else if (typeof value === 'number') {
      const type = PARAMETER_TYPES.get(id) ?? 'u32';
      if (type === 'string') throw new RangeError(`parameter 0x${id.toString(16)} takes text, not a number`);
      checkUnsigned(`parameter 0x${id.toString(16)}`, value, WIDTHS[type]);
      writer.u8(WIDTHS[type]);
      if (type === 'u8') writer.u8(value);
      else if (type === 'u16') writer.u16(value);
      else writer.u32(value);
    } else {
      writer.u8(checkLength(id, value.length)).bytes(value);
    }
  }
}

function checkLength(id: number, length: number): number {
  if (length > 255) throw new RangeError(`parameter 0x${id.toString(16)} is ${length} bytes, more than 255`);
  return length;
}
