import type { BufferReader } from '../buffer-reader.ts';
import type { BufferWriter } from '../buffer-writer.ts';
import { FrameError } from '../frame-error.ts';
import { bcdOf } from './digits.ts';
import {
  BODY_LENGTH_MASK,
  ENCRYPTION_MASK,
  ENCRYPTION_SHIFT,
  HEADER_LENGTH_2013,
  HEADER_LENGTH_2019,
  MAX_BODY_LENGTH,
  SUBPACKAGE_FIELDS_LENGTH,
  SUBPACKAGE_FLAG,
  VERSION_FLAG,
} from './constants.ts';
import type { Jt808Header, Jt808Target } from './messages.ts';
import { u16At } from './words.ts';

const PHONE_BYTES_2013 = 6;
const PHONE_BYTES_2019 = 10;
/** Id and body attribute: the bytes read before the header's length is known. */
const ATTRIBUTE_END = 4;

/**
 * Phone strings by the phone's bytes, one cache per header layout. A city has tens of thousands of
 * terminals, each reporting every few seconds: building the same two strings per frame is waste. The
 * caches are direct-mapped on the bytes read as three words (a colliding phone replaces the older one),
 * so their size is fixed whatever terminals send.
 */
const CACHE_SLOTS = 1 << 15;

class PhoneCache {
  private readonly words = new Int32Array(CACHE_SLOTS * 3);
  private readonly entries: ({ phone: string; uniqueId: string } | undefined)[] = new Array<undefined>(CACHE_SLOTS).fill(undefined);

  /** `frame[at, at + length)` is in bounds (the reader has skipped it); `length` is 6 or 10. */
  read(frame: Buffer, at: number, length: number): { phone: string; uniqueId: string } {
    const end = at + length;
    const low = ((frame[end - 4]! << 24) | (frame[end - 3]! << 16) | (frame[end - 2]! << 8) | frame[end - 1]!) | 0;
    const middle = (frame[end - 6]! << 8) | frame[end - 5]!;
    const high = length === PHONE_BYTES_2019 ? ((frame[at]! << 24) | (frame[at + 1]! << 16) | (frame[at + 2]! << 8) | frame[at + 3]!) | 0 : 0;
    const slot = (low ^ (low >>> 12) ^ middle ^ high) & (CACHE_SLOTS - 1);
    const words = this.words;
    const known = this.entries[slot];
    if (known !== undefined && words[slot * 3] === low && words[slot * 3 + 1] === middle && words[slot * 3 + 2] === high) return known;
    const phone = bcdOf(frame, at, end, 'terminal phone');
    const entry = { phone, uniqueId: stripLeadingZeros(phone) };
    words[slot * 3] = low;
    words[slot * 3 + 1] = middle;
    words[slot * 3 + 2] = high;
    this.entries[slot] = entry;
    return entry;
  }
}

const phones2013 = new PhoneCache();
const phones2019 = new PhoneCache();

function stripLeadingZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

/**
 * §4.4.3: id, body attribute, [2019 version byte], BCD phone, serial, [subpackage total and index].
 * `reader` walks `frame`. The fields are read after one length check for the whole header, which runs
 * for every frame; on a frame too short for it, the field-by-field reads name the field that is short.
 */
export function readHeader(reader: BufferReader, frame: Buffer): Jt808Header {
  const at = reader.offset;
  if (reader.remaining < ATTRIBUTE_END) throwShortHeader(reader, frame);
  const attribute = u16At(frame, at + 2);
  const is2019 = (attribute & VERSION_FLAG) !== 0;
  const subpackaged = (attribute & SUBPACKAGE_FLAG) !== 0;
  const length = (is2019 ? HEADER_LENGTH_2019 : HEADER_LENGTH_2013) + (subpackaged ? SUBPACKAGE_FIELDS_LENGTH : 0);
  if (reader.remaining < length) throwShortHeader(reader, frame);
  reader.skip(length, 'header');
  const phoneAt = at + (is2019 ? ATTRIBUTE_END + 1 : ATTRIBUTE_END);
  const phoneEnd = phoneAt + (is2019 ? PHONE_BYTES_2019 : PHONE_BYTES_2013);
  const { phone, uniqueId } = (is2019 ? phones2019 : phones2013).read(frame, phoneAt, phoneEnd - phoneAt);
  let subpackage: Jt808Header['subpackage'] = null;
  if (subpackaged) {
    const total = u16At(frame, phoneEnd + 2);
    const index = u16At(frame, phoneEnd + 4);
    if (index < 1 || index > total) {
      throw new FrameError('invalid', `subpackage index ${index} is outside 1..${total}`);
    }
    subpackage = { total, index };
  }
  return {
    id: u16At(frame, at),
    bodyLength: attribute & BODY_LENGTH_MASK,
    encryption: (attribute & ENCRYPTION_MASK) >> ENCRYPTION_SHIFT,
    version: is2019 ? 2019 : 2013,
    protocolVersion: is2019 ? frame[at + ATTRIBUTE_END]! : 0,
    phone,
    uniqueId,
    serial: u16At(frame, phoneEnd),
    subpackage,
  };
}

/**
 * Reads the header field by field on a frame too short for it, so the error names the first missing field
 * (or the phone that is not BCD, which is read before the fields after it).
 */
function throwShortHeader(reader: BufferReader, frame: Buffer): never {
  reader.u16('message id');
  const attribute = reader.u16('body attribute');
  const is2019 = (attribute & VERSION_FLAG) !== 0;
  if (is2019) reader.u8('protocol version');
  const phoneAt = reader.offset;
  reader.skip(is2019 ? PHONE_BYTES_2019 : PHONE_BYTES_2013, 'terminal phone');
  (is2019 ? phones2019 : phones2013).read(frame, phoneAt, reader.offset - phoneAt);
  reader.u16('serial');
  if ((attribute & SUBPACKAGE_FLAG) !== 0) {
    reader.u16('subpackage total');
    reader.u16('subpackage index');
  }
  throw new Error('unreachable: the header was short');
}

export function writeHeader(
  writer: BufferWriter,
  target: Jt808Target,
  id: number,
  bodyLength: number,
  serial: number,
  subpackage?: { total: number; index: number },
): void {
  if (bodyLength > MAX_BODY_LENGTH) {
    throw new RangeError(`body of ${bodyLength} bytes exceeds ${MAX_BODY_LENGTH}; send it in subpackages`);
  }
  const is2019 = target.version === 2019;
  const attribute = bodyLength | (subpackage ? SUBPACKAGE_FLAG : 0) | (is2019 ? VERSION_FLAG : 0);
  writer.u16(id).u16(attribute);
  if (is2019) writer.u8(target.protocolVersion ?? 1);
  writer.bcd(target.phone, is2019 ? PHONE_BYTES_2019 : PHONE_BYTES_2013).u16(serial);
  if (subpackage) writer.u16(subpackage.total).u16(subpackage.index);
}
