const ZERO = 48;
const MINUS = 45;
const DOT = 46;
// Below this magnitude a number times 10⁶ is a safe integer, so the fixed-point test below is exact.
const FIXED_LIMIT = 1e9;
const SMALL_INTEGER = 0x7fffffff;
// A first page grows into its size in a few doublings; later pages start at the size the page before needed.
const INITIAL_CAPACITY = 64 * 1024;

/**
 * A growing buffer of ASCII text written byte by byte: a page of fixes becomes one Buffer without a string
 * per point, field or number. Built as strings, a day of 1 Hz points made millions of short-lived strings and
 * a rope that had to be flattened and encoded again before the socket took it; that, and the collector's
 * work for it, was most of the time of a track answer. Every method writes what `String()` would.
 */
export class AsciiBuffer {
  #bytes: Buffer;
  #length = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    this.#bytes = Buffer.allocUnsafe(Math.max(64, capacity));
  }

  /** Text made of ASCII characters only (constants, ISO times): one byte per UTF-16 unit. */
  text(text: string): void {
    this.#reserve(text.length);
    const bytes = this.#bytes;
    let at = this.#length;
    for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    this.#length = at;
  }

  /** Pre-encoded bytes, e.g. a field name written once per point. */
  bytes(source: Uint8Array): void {
    this.#reserve(source.length);
    const bytes = this.#bytes;
    let at = this.#length;
    for (let i = 0; i < source.length; i++) bytes[at++] = source[i]!;
    this.#length = at;
  }

  byte(code: number): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = code;
  }

  /** A non-negative integer below 2⁵³ with at least `width` digits, zero-padded (ISO seconds, millis). */
  digits(value: number, width = 1): void {
    let count = 1;
    for (let bound = 10; value >= bound && count < 16; bound *= 10) count++;
    if (count < width) count = width;
    this.#reserve(count);
    const bytes = this.#bytes;
    let at = this.#length + count;
    this.#length = at;
    let rest = value;
    // Below 2³¹ (every coordinate, time part and count here) the digits come from integer arithmetic.
    while (rest > SMALL_INTEGER && at > this.#length - count) {
      const next = Math.floor(rest / 10);
      bytes[--at] = ZERO + rest - next * 10;
      rest = next;
    }
    let small = rest | 0;
    while (at > this.#length - count) {
      const next = (small / 10) | 0;
      bytes[--at] = ZERO + small - next * 10;
      small = next;
    }
  }

  /**
   * A number as `String(value)` writes it. A value that is exactly a decimal of at most six places (every
   * coordinate stored as millionths of a degree, every speed and altitude PostgreSQL printed) is written
   * from its digits: with at most 15 significant digits that decimal is the shortest one that reads back
   * as the same double, which is what `String()` writes. Anything else goes through `String()`.
   */
  number(value: number): void {
    if (value > -FIXED_LIMIT && value < FIXED_LIMIT) {
      const millionths = Math.round(value * 1e6);
      if (millionths / 1e6 === value) {
        this.#fixed(millionths);
        return;
      }
    }
    this.text(String(value));
  }

  /** The bytes written since the last take, as a Buffer of their own; writing continues in a fresh one. */
  take(): Buffer {
    const taken = this.#bytes.subarray(0, this.#length);
    this.#bytes = Buffer.allocUnsafe(this.#bytes.length);
    this.#length = 0;
    return taken;
  }

  #fixed(millionths: number): void {
    if (millionths < 0) this.byte(MINUS);
    const magnitude = Math.abs(millionths);
    const whole = Math.floor(magnitude / 1e6);
    let fraction = magnitude - whole * 1e6;
    this.digits(whole);
    if (fraction === 0) return;
    let places = 6;
    while (fraction % 10 === 0) {
      fraction /= 10;
      places--;
    }
    this.byte(DOT);
    this.digits(fraction, places);
  }

  #reserve(count: number): void {
    if (this.#length + count <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#bytes.length * 2, this.#length + count));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }
}

/** Encodes an ASCII constant once, for `AsciiBuffer#bytes`. */
export function asciiBytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}
