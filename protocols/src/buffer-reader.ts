import { FrameError } from './frame-error.ts';

const EMPTY = Buffer.alloc(0);

/**
 * A cursor over one frame. Unlike pg-protocol's reader it checks every read against the end, because
 * terminals send wrong lengths; a short read throws a FrameError that names the field being read.
 * Decoders catch it once at their top and return it.
 */
export class BufferReader {
  private buffer: Buffer = EMPTY;
  offset = 0;
  end = 0;

  setBuffer(buffer: Buffer, offset = 0, end = buffer.length): this {
    this.buffer = buffer;
    this.offset = offset;
    this.end = end;
    return this;
  }

  /** Drops the reference to the last frame so a reused reader does not retain it. */
  detach(): void {
    this.buffer = EMPTY;
    this.offset = 0;
    this.end = 0;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(length: number, field: string): number {
    const at = this.offset;
    if (at + length > this.end) {
      throw new FrameError('short', `frame too short reading ${field}: needs ${length} byte(s) at offset ${at}, ${this.end - at} left`);
    }
    this.offset = at + length;
    return at;
  }

  u8(field: string): number {
    return this.buffer[this.need(1, field)]!;
  }

  u16(field: string): number {
    return this.buffer.readUInt16BE(this.need(2, field));
  }

  u24(field: string): number {
    const at = this.need(3, field);
    return (this.buffer[at]! << 16) | (this.buffer[at + 1]! << 8) | this.buffer[at + 2]!;
  }

  u32(field: string): number {
    return this.buffer.readUInt32BE(this.need(4, field));
  }

  i16(field: string): number {
    return this.buffer.readInt16BE(this.need(2, field));
  }

  i32(field: string): number {
    return this.buffer.readInt32BE(this.need(4, field));
  }

  /** A view (not a copy) of the next `length` bytes; valid only while the frame buffer is. */
  bytes(length: number, field: string): Buffer {
    const at = this.need(length, field);
    return this.buffer.subarray(at, at + length);
  }

  skip(length: number, field: string): void {
    this.need(length, field);
  }

  /** `length` bytes of packed BCD as a digit string; a nibble above 9 is an 'invalid' FrameError. */
  bcd(length: number, field: string): string {
    const at = this.need(length, field);
    let digits = '';
    for (let i = at; i < at + length; i++) {
      const byte = this.buffer[i]!;
      const high = byte >> 4;
      const low = byte & 0x0f;
      if (high > 9 || low > 9) {
        throw new FrameError('invalid', `${field}: byte 0x${byte.toString(16).padStart(2, '0')} is not BCD`);
      }
      digits += String.fromCharCode(48 + high, 48 + low);
    }
    return digits;
  }

  /** One BCD byte as a number 0..99, for date and time fields read on the hot path without strings. */
  bcdByte(field: string): number {
    const byte = this.buffer[this.need(1, field)]!;
    const high = byte >> 4;
    const low = byte & 0x0f;
    if (high > 9 || low > 9) {
      throw new FrameError('invalid', `${field}: byte 0x${byte.toString(16).padStart(2, '0')} is not BCD`);
    }
    return high * 10 + low;
  }
}
