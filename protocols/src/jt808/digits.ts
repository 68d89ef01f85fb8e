import { FrameError } from '../frame-error.ts';

// Per-byte string tables, so the hot path joins short strings instead of formatting byte by byte.
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Packed BCD byte → its two digits; undefined where a nibble is above 9. */
const BCD: readonly (string | undefined)[] = HEX.map((hex) => (/^\d\d$/.test(hex) ? hex : undefined));
const NATIVE_HEX_FROM = 16;

/** `buffer[start, end)` as lower-case hex; short runs skip the native call's fixed cost. */
export function hexOf(buffer: Buffer, start: number, end: number): string {
  if (end - start >= NATIVE_HEX_FROM) return buffer.toString('hex', start, end);
  let text = '';
  for (let i = start; i < end; i++) text += HEX[buffer[i]!];
  return text;
}

/** `buffer[start, end)` as BCD digits; a nibble above 9 is the same 'invalid' error BufferReader.bcd gives. */
export function bcdOf(buffer: Buffer, start: number, end: number, field: string): string {
  let text = '';
  for (let i = start; i < end; i++) {
    const pair = BCD[buffer[i]!];
    if (pair === undefined) throw new FrameError('invalid', `${field}: byte 0x${HEX[buffer[i]!]} is not BCD`);
    text += pair;
  }
  return text;
}
