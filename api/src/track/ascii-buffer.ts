const ZERO = 48;
const MINUS = 45;
const DOT = 46;
// Below this magnitude a number times 10⁶ is a safe integer, so the fixed-point test below is exact.
const FIXED_LIMIT = 1e9;
const SMALL_INTEGER = 0x7fffffff;
// A first page grows into its size in a few doublings; later pages start at the size the page before needed.
const INITIAL_CAPACITY = 64 * 1024;
/**
 * What one point of any writer can take: its field names, an ISO time (27 bytes at most) and six numbers as
 * String() writes them (25 bytes at most). A writer makes this much room once per point and then writes
 * with the put functions below, without a bounds check or a call per field.
 */
export const MAX_POINT_BYTES = 512;

/**
 * A growing buffer of ASCII text: a page of fixes becomes one Buffer without a string per point, field or
 * number. Built as strings, a day of 1 Hz points made millions of short-lived strings and a rope that had to
 * be flattened and encoded again before the socket took it. Writers' per-point loops take `room()` and the
 * put functions; the methods are for the few bytes around them. Every number is written as `String()` would.
 */
export class AsciiBuffer {
  #bytes: Buffer;
  /** Where the next byte goes; a writer that wrote into `room()` sets it past what it wrote. */
  end = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.#bytes = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /** The buffer, with at least `count` bytes free from `end`. */
  room(count: number): Buffer {
    if (this.end + count > this.#bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.end + count));
      this.#bytes.copy(grown, 0, 0, this.end);
      this.#bytes = grown;
    }
    return this.#bytes;
  }

  /** Pre-encoded bytes, e.g. a field name. */
  bytes(source: Uint8Array): void {
    this.end = putBytes(this.room(source.length), this.end, source);
  }

  byte(code: number): void {
    this.room(1)[this.end++] = code;
  }

  number(value: number): void {
    this.end = putNumber(this.room(MAX_POINT_BYTES), this.end, value);
  }

  /** The bytes written since the last take, as a Buffer of their own; writing continues in a fresh one. */
  take(): Buffer {
    const taken = this.#bytes.subarray(0, this.end);
    this.#bytes = Buffer.allocUnsafe(this.#bytes.length);
    this.end = 0;
    return taken;
  }
}

// The put functions write at `at` into a buffer the caller made room in, and return where they stopped.

/** Text made of ASCII characters only: one byte per UTF-16 unit. */
export function putText(target: Buffer, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) target[at++] = text.charCodeAt(i);
  return at;
}

export function putBytes(target: Buffer, at: number, source: Uint8Array): number {
  for (let i = 0; i < source.length; i++) target[at++] = source[i]!;
  return at;
}

/** A non-negative integer below 2⁵³ with at least `width` digits, zero-padded (ISO seconds, millis). */
export function putDigits(target: Buffer, at: number, value: number, width: number): number {
  let count = 1;
  for (let bound = 10; value >= bound && count < 16; bound *= 10) count++;
  if (count < width) count = width;
  const start = at;
  let next = at + count;
  const stop = next;
  let rest = value;
  // Below 2³¹ (every coordinate, time part and count here) the digits come from integer arithmetic.
  while (rest > SMALL_INTEGER && next > start) {
    const tens = Math.floor(rest / 10);
    target[--next] = ZERO + rest - tens * 10;
    rest = tens;
  }
  let small = rest | 0;
  while (next > start) {
    const tens = (small / 10) | 0;
    target[--next] = ZERO + small - tens * 10;
    small = tens;
  }
  return stop;
}

/**
 * A number as `String(value)` writes it. A value that is exactly a decimal of at most six places (every
 * coordinate stored as millionths of a degree, every speed and altitude PostgreSQL printed) is written
 * from its digits: with at most 15 significant digits that decimal is the shortest one that reads back
 * as the same double, which is what `String()` writes. Anything else goes through `String()`.
 */
export function putNumber(target: Buffer, at: number, value: number): number {
  if (value > -FIXED_LIMIT && value < FIXED_LIMIT) {
    const millionths = Math.round(value * 1e6);
    if (millionths / 1e6 === value) return putFixed(target, at, millionths);
  }
  return putText(target, at, String(value));
}

function putFixed(target: Buffer, at: number, millionths: number): number {
  if (millionths < 0) target[at++] = MINUS;
  const magnitude = Math.abs(millionths);
  const whole = Math.floor(magnitude / 1e6);
  let fraction = magnitude - whole * 1e6;
  at = putDigits(target, at, whole, 1);
  if (fraction === 0) return at;
  let places = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  target[at++] = DOT;
  return putDigits(target, at, fraction, places);
}

/** Encodes an ASCII constant once, for `putBytes`. */
export function asciiBytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
