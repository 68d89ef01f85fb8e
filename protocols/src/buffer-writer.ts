/**
 * A growable big-endian writer for building frames. Encoders size and validate first, then write;
 * `patchU8`/`patchU16` back-patch a length or body attribute once the body is known.
 */
export class BufferWriter {
  private buffer: Buffer;
  private offset = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.offset;
  }

  private ensure(size: number): void {
    const needed = this.offset + size;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, Math.ceil(this.buffer.length * 1.5)));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  u8(value: number): this {
    this.ensure(1);
    this.buffer[this.offset++] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    this.ensure(2);
    this.buffer.writeUInt16BE(value & 0xffff, this.offset);
    this.offset += 2;
    return this;
  }

  u24(value: number): this {
    this.ensure(3);
    this.buffer[this.offset] = (value >>> 16) & 0xff;
    this.buffer[this.offset + 1] = (value >>> 8) & 0xff;
    this.buffer[this.offset + 2] = value & 0xff;
    this.offset += 3;
    return this;
  }

  u32(value: number): this {
    this.ensure(4);
    this.buffer.writeUInt32BE(value >>> 0, this.offset);
    this.offset += 4;
    return this;
  }

  i32(value: number): this {
    this.ensure(4);
    this.buffer.writeInt32BE(value | 0, this.offset);
    this.offset += 4;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buffer.set(data, this.offset);
    this.offset += data.length;
    return this;
  }

  /** `digits` as packed BCD in exactly `length` bytes, left-padded with zeros. Throws if it does not fit. */
  bcd(digits: string, length: number): this {
    if (!/^\d*$/.test(digits) || digits.length > length * 2) {
      throw new RangeError(`cannot write ${JSON.stringify(digits)} as ${length} BCD byte(s)`);
    }
    const padded = digits.padStart(length * 2, '0');
    this.ensure(length);
    for (let i = 0; i < length; i++) {
      this.buffer[this.offset++] = ((padded.charCodeAt(2 * i) - 48) << 4) | (padded.charCodeAt(2 * i + 1) - 48);
    }
    return this;
  }

  patchU8(at: number, value: number): this {
    this.buffer[at] = value & 0xff;
    return this;
  }

  patchU16(at: number, value: number): this {
    this.buffer.writeUInt16BE(value & 0xffff, at);
    return this;
  }

  /** A view of what has been written so far; valid until the next write. */
  view(start = 0, end = this.offset): Buffer {
    return this.buffer.subarray(start, end);
  }

  /** A copy of what has been written, owned by the caller. */
  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.offset));
  }

  reset(): this {
    this.offset = 0;
    return this;
  }
}
