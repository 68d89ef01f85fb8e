import { BufferReader } from '../buffer-reader.ts';
import { xor8 } from '../checksum.ts';
import { FrameError } from '../frame-error.ts';
import { CHECK_LENGTH, DEFAULT_TIME_ZONE_OFFSET_MINUTES, HEADER_LENGTH_2013, JT808_MESSAGE_IDS as ID } from './constants.ts';
import { readHeader } from './header.ts';
import {
  AUTH_IMEI_LENGTH,
  AUTH_SOFTWARE_LENGTH,
  LOCATION_BASE_LENGTH,
  REGISTER_FIXED_2013,
  REGISTER_WIDTHS,
  SIMPLE_LAYOUTS,
  type BodyLayout,
  type RegisterEdition,
} from './layouts.ts';
import { readLocation } from './location.ts';
import type { Jt808DecodeContext, Jt808Header, Jt808Message } from './messages.ts';
import { readParameters } from './parameters.ts';
import { decodeGbk } from './text.ts';
import { readBcdTime } from './time.ts';

// One reader for headers and one for bodies, reused for every frame and detached after each so they never
// retain a splitter's buffer; two because a reassembled body is decoded without a header read.
const reader = new BufferReader();
const bodyReader = new BufferReader();

/**
 * Decodes one unescaped frame (header + body + check byte, as the splitter emits it). Returns the
 * message or a FrameError; never throws for bad input. A subpackage comes back as a 'fragment'.
 */
export function decodeJt808(frame: Buffer, context?: Jt808DecodeContext): Jt808Message | FrameError {
  if (frame.length < HEADER_LENGTH_2013 + CHECK_LENGTH) {
    return new FrameError('short', `frame of ${frame.length} byte(s) is shorter than the ${HEADER_LENGTH_2013 + CHECK_LENGTH}-byte minimum`);
  }
  const bodyEnd = frame.length - CHECK_LENGTH;
  const expected = xor8(frame, 0, bodyEnd);
  if (expected !== frame[bodyEnd]) {
    return new FrameError('checksum', `check byte 0x${hex(frame[bodyEnd]!, 2)} does not match computed 0x${hex(expected, 2)}`);
  }
  try {
    reader.setBuffer(frame, 0, bodyEnd);
    const header = readHeader(reader, frame);
    if (header.bodyLength !== reader.remaining && !context?.lenient) {
      return new FrameError('length', `body attribute says ${header.bodyLength} byte(s), frame carries ${reader.remaining}`);
    }
    if (header.subpackage && header.subpackage.total > 1) {
      return { protocol: 'jt808', type: header.id, name: 'fragment', header, body: Buffer.from(reader.bytes(reader.remaining, 'body')) };
    }
    return decodeBodyAt(header, frame, reader.offset, bodyEnd, context);
  } catch (error) {
    if (error instanceof FrameError) return error;
    throw error;
  } finally {
    reader.detach();
  }
}

/** Decodes a body under its header: used by decodeJt808, and for a body the reassembler completed. */
export function decodeJt808Body(header: Jt808Header, body: Buffer, context?: Jt808DecodeContext): Jt808Message | FrameError {
  return decodeBodyAt(header, body, 0, body.length, context);
}

function decodeBodyAt(header: Jt808Header, buffer: Buffer, start: number, end: number, context?: Jt808DecodeContext): Jt808Message | FrameError {
  if (header.encryption !== 0) {
    return new FrameError('unsupported', `message 0x${hex(header.id, 4)} has an encrypted body (scheme ${header.encryption})`);
  }
  try {
    bodyReader.setBuffer(buffer, start, end);
    return decodeBody(bodyReader, buffer, header, context?.timeZoneOffsetMinutes ?? DEFAULT_TIME_ZONE_OFFSET_MINUTES, context?.lenient ?? false);
  } catch (error) {
    if (error instanceof FrameError) return error;
    throw error;
  } finally {
    bodyReader.detach();
  }
}

function decodeBody(r: BufferReader, buffer: Buffer, header: Jt808Header, offset: number, lenient: boolean): Jt808Message {
  // Object literals rather than spreads of a shared base: one fixed shape per message on the hot path.
  const protocol = 'jt808';
  switch (header.id) {
    case ID.location:
      return { protocol, type: ID.location, name: 'location', header, position: readLocation(r, buffer, r.end, header.uniqueId, offset, lenient) };
    case ID.locationBatch:
      return { protocol, type: ID.locationBatch, name: 'locationBatch', header, ...readBatch(r, buffer, header, offset, lenient) };
    case ID.locationReply: {
      const ackSerial = r.u16('ack serial');
      const position = readLocation(r, buffer, r.end, header.uniqueId, offset, lenient);
      return { protocol, type: ID.locationReply, name: 'locationReply', header, ackSerial, position };
    }
    case ID.register:
      return { protocol, type: ID.register, name: 'register', header, ...readRegister(r, header) };
    case ID.authenticate:
      return { protocol, type: ID.authenticate, name: 'authenticate', header, ...readAuthenticate(r, header) };
    case ID.parameters: {
      const ackSerial = r.u16('ack serial');
      return { protocol, type: ID.parameters, name: 'parameters', header, ackSerial, params: readParameters(r, r.u8('parameter count')) };
    }
    case ID.mediaUpload:
      return { protocol, type: ID.mediaUpload, name: 'mediaUpload', header, ...readMediaUpload(r, buffer, header, offset, lenient) };
    case ID.resendRequest: {
      const originalSerial = r.u16('original serial');
      const count = header.version === 2019 ? r.u16('packet count') : r.u8('packet count');
      const packets: number[] = [];
      for (let i = 0; i < count; i++) packets.push(r.u16('packet index'));
      return { protocol, type: ID.resendRequest, name: 'resendRequest', header, originalSerial, packets };
    }
    case ID.setParameters:
      return { protocol, type: ID.setParameters, name: 'setParameters', header, params: readParameters(r, r.u8('parameter count')) };
    case ID.querySomeParameters: {
      const count = r.u8('parameter count');
      const ids: number[] = [];
      for (let i = 0; i < count; i++) ids.push(r.u32('parameter id'));
      return { protocol, type: ID.querySomeParameters, name: 'querySomeParameters', header, ids };
    }
    default: {
      const simple = SIMPLE_LAYOUTS.get(header.id);
      if (simple) return readSimple(r, buffer, header, simple);
      return { protocol, type: header.id, name: 'unknown', header, body: Buffer.from(r.bytes(r.remaining, 'body')) };
    }
  }
}

function readSimple(r: BufferReader, buffer: Buffer, header: Jt808Header, layout: BodyLayout): Jt808Message {
  const message: Record<string, unknown> = { protocol: 'jt808', type: header.id, name: layout.name, header };
  for (const field of layout.fields) {
    if (field.only2019 && header.version !== 2019) {
      message[field.name] = null;
      continue;
    }
    switch (field.type) {
      case 'u8':
        message[field.name] = r.u8(field.name);
        break;
      case 'u16':
        message[field.name] = r.u16(field.name);
        break;
      case 'u32':
        message[field.name] = r.u32(field.name);
        break;
      case 'gbkRest':
        message[field.name] = decodeGbk(r.bytes(r.remaining, field.name));
        break;
      case 'gbkLen8':
        message[field.name] = decodeGbk(r.bytes(r.u8(`${field.name} length`), field.name));
        break;
      case 'utcTime':
        message[field.name] = readBcdTime(r, buffer, 0, false);
        break;
    }
  }
  return message as unknown as Jt808Message;
}

/** §8.5: 2019 headers use the 2019 widths; under a 2013 header the body length tells 2011 from 2013. */
function readRegister(r: BufferReader, header: Jt808Header) {
  const edition: RegisterEdition = header.version === 2019 ? 2019 : r.remaining >= REGISTER_FIXED_2013 ? 2013 : 2011;
  const widths = REGISTER_WIDTHS[edition];
  return {
    provinceId: r.u16('province id'),
    cityId: r.u16('city id'),
    manufacturerId: decodeGbk(r.bytes(widths.manufacturerId, 'manufacturer id')),
    terminalModel: decodeGbk(r.bytes(widths.terminalModel, 'terminal model')),
    terminalId: decodeGbk(r.bytes(widths.terminalId, 'terminal id')),
    plateColor: r.u8('plate colour'),
    plate: decodeGbk(r.bytes(r.remaining, 'plate')),
    edition,
  };
}

/** §8.8: 2013 sends the code as the whole body; 2019 prefixes its length and adds IMEI and software version. */
function readAuthenticate(r: BufferReader, header: Jt808Header) {
  if (header.version !== 2019) {
    return { authCode: decodeGbk(r.bytes(r.remaining, 'auth code')), imei: null, softwareVersion: null };
  }
  const authCode = decodeGbk(r.bytes(r.u8('auth code length'), 'auth code'));
  const imei = decodeGbk(r.bytes(AUTH_IMEI_LENGTH, 'imei'));
  return { authCode, imei, softwareVersion: decodeGbk(r.bytes(AUTH_SOFTWARE_LENGTH, 'software version')) };
}

/** §8.54 (0x0704): count, type, then each location prefixed by its length. */
function readBatch(r: BufferReader, buffer: Buffer, header: Jt808Header, offset: number, lenient: boolean) {
  const count = r.u16('batch count');
  const batchType = r.u8('batch type');
  const positions = [];
  for (let i = 0; i < count; i++) {
    const length = r.u16('batch item length');
    const end = r.offset + length;
    if (end > r.end) throw new FrameError('length', `batch item ${i + 1} claims ${length} byte(s), ${r.remaining} left`);
    positions.push(readLocation(r, buffer, end, header.uniqueId, offset, lenient));
  }
  return { batchType, positions };
}

/** §8.57 (0x0801): media header, a 28-byte base block without items, then the data. */
function readMediaUpload(r: BufferReader, buffer: Buffer, header: Jt808Header, offset: number, lenient: boolean) {
  const mediaId = r.u32('media id');
  const mediaType = r.u8('media type');
  const format = r.u8('media format');
  const event = r.u8('media event');
  const channel = r.u8('channel');
  const position = readLocation(r, buffer, r.offset + LOCATION_BASE_LENGTH, header.uniqueId, offset, lenient);
  return { mediaId, mediaType, format, event, channel, position, data: Buffer.from(r.bytes(r.remaining, 'media data')) };
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}
