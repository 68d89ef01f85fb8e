import { BufferWriter } from '../buffer-writer.ts';
import { crc16X25 } from '../checksum.ts';
import { positionWithoutFix, type Position } from '../position.ts';
import {
  ENCODING_UTF16BE,
  GT06_TYPES,
  LENGTH_OVERHEAD,
  LONG_START,
  SHORT_START,
  STOP_CR,
  STOP_LF,
  TIME_ZONE_LOW_BITS,
  TIME_ZONE_SHIFT,
  TIME_ZONE_WEST,
} from './constants.ts';
import { defaultLayout, type Layout } from './layouts.ts';
import type { Gt06Status } from './messages.ts';
import { writeField, writeTime } from './write-fields.ts';

const SHORT_MAX_LENGTH = 0xff;
const LONG_MAX_LENGTH = 0xffff;
/** Language words of 0x15 replies and 0x80 commands. */
const LANGUAGE_CHINESE = 0x0001;
const LANGUAGE_ENGLISH = 0x0002;
const MAX_TIME_ZONE_MINUTES = 12 * 60 + 45;

function checkUnsigned(value: number, max: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer from 0 to ${max}, got ${value}`);
  }
}

/**
 * Wraps a body: start marker, length, protocol number, body, serial, CRC, stop marker. Sizes and
 * validates first, so a bad value throws before a byte is written. `long` forces the `79 79` form.
 */
/** A short frame with no body: start, length, type, serial, CRC, stop. */
const ACK_BYTES = 10;

function frame(type: number, body: Uint8Array, serial: number, long = false): Buffer {
  checkUnsigned(serial, 0xffff, 'serial');
  const length = LENGTH_OVERHEAD + body.length;
  const useLong = long || length > SHORT_MAX_LENGTH;
  if (length > LONG_MAX_LENGTH) throw new RangeError(`body of ${body.length} byte(s) does not fit a GT06 frame`);
  const headerLength = useLong ? 4 : 3;
  const writer = new BufferWriter(headerLength + length + 2);
  if (useLong) writer.u8(LONG_START).u8(LONG_START).u16(length);
  else writer.u8(SHORT_START).u8(SHORT_START).u8(length);
  writer.u8(type).bytes(body).u16(serial);
  writer.u16(crc16X25(writer.view(), 2, writer.length));
  return writer.u8(STOP_CR).u8(STOP_LF).view();
}

function ascii(text: string, name: string): Buffer {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new RangeError(`${name} must be printable ASCII, got ${JSON.stringify(text)}`);
  return Buffer.from(text, 'latin1');
}

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/** Command length (flag + text), server flag, text, optional language word: 0x80 and 0x15 share it. */
function flaggedText(serverFlag: number, content: Buffer, language: number | null): Uint8Array {
  checkUnsigned(serverFlag, 0xffffffff, 'serverFlag');
  if (content.length === 0 || content.length + 4 > 0xff) {
    throw new RangeError(`command text must be 1 to 251 bytes, got ${content.length}`);
  }
  const writer = new BufferWriter(1 + 4 + content.length + 2).u8(content.length + 4).u32(serverFlag).bytes(content);
  if (language !== null) writer.u16(language);
  return writer.view();
}

function timeZoneWord(offsetMinutes: number, lowBits: number): number {
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > MAX_TIME_ZONE_MINUTES) {
    throw new RangeError(`timeZoneOffsetMinutes must be an integer from -${MAX_TIME_ZONE_MINUTES} to ${MAX_TIME_ZONE_MINUTES}, got ${offsetMinutes}`);
  }
  const magnitude = Math.abs(offsetMinutes);
  const value = Math.floor(magnitude / 60) * 100 + (magnitude % 60);
  return (value << TIME_ZONE_SHIFT) | (offsetMinutes < 0 ? TIME_ZONE_WEST : 0) | (lowBits & TIME_ZONE_LOW_BITS);
}

function layoutFor(type: number, names: readonly string[]): Layout {
  const layout = defaultLayout(type);
  if (layout === undefined || !names.includes(layout.name)) {
    throw new RangeError(`0x${type.toString(16)} is not a GT06 ${names.join(' or ')} protocol number`);
  }
  return layout;
}

function walkLayout(layout: Layout, position: Position, offsetMinutes: number): Uint8Array {
  const writer = new BufferWriter(layout.bodyLength);
  for (const field of layout.fields) writeField(writer, field, position, offsetMinutes);
  return writer.view();
}

export interface Gt06LocationOptions {
  /** 0x12 (default), 0x10, 0x11 or 0x22 for locations; 0x16 (default), 0x26 or 0x27 for alarms. */
  type?: number;
  /** The device clock's offset: positions travel in device time. */
  timeZoneOffsetMinutes?: number;
}

/** Every GT06 frame we build: the server's answers and downlinks, and the terminal's side for simulator and tests. */
export const encodeGt06 = {
  /** The short ack: 78 78 05 TYPE SERIAL CRC 0D 0A (login, heartbeat, locations, alarms). */
  ack(type: number, serial: number): Buffer {
    checkUnsigned(type, 0xff, 'type');
    checkUnsigned(serial, 0xffff, 'serial');
    // frame() with an empty body, written in place: ingest sends one per stored position, and the general
    // writer's objects were four allocations and ~0.35 µs an ack against ~0.1.
    const out = Buffer.allocUnsafe(ACK_BYTES);
    out[0] = SHORT_START;
    out[1] = SHORT_START;
    out[2] = LENGTH_OVERHEAD;
    out[3] = type;
    out[4] = serial >>> 8;
    out[5] = serial & 0xff;
    const crc = crc16X25(out, 2, 6);
    out[6] = crc >>> 8;
    out[7] = crc & 0xff;
    out[8] = STOP_CR;
    out[9] = STOP_LF;
    return out;
  },

  /** The answer to 0x8A: the current UTC time, passed in because codecs read no clock. */
  timeResponse(now: Date, serial: number): Buffer {
    const writer = new BufferWriter(6);
    writeTime(writer, now.getTime(), 0);
    return frame(GT06_TYPES.timeRequest, writer.view(), serial);
  },

  /** 0x80 server command; the device's 0x15/0x21 reply echoes `serverFlag`. UTF-16 text is marked Chinese. */
  command(serverFlag: number, text: string, serial: number, options: { utf16?: boolean } = {}): Buffer {
    const body = options.utf16
      ? flaggedText(serverFlag, utf16be(text), LANGUAGE_CHINESE)
      : flaggedText(serverFlag, ascii(text, 'command'), null);
    return frame(GT06_TYPES.serverCommand, body, serial);
  },

  login(imei: string, serial: number, options: { typeId?: number; timeZoneOffsetMinutes?: number; timeZoneLowBits?: number } = {}): Buffer {
    if (!/^\d{15,16}$/.test(imei)) throw new RangeError(`imei must be 15 or 16 digits, got ${JSON.stringify(imei)}`);
    const writer = new BufferWriter(12).bcd(imei, 8);
    if (options.typeId !== undefined || options.timeZoneOffsetMinutes !== undefined) {
      checkUnsigned(options.typeId ?? 0, 0xffff, 'typeId');
      writer.u16(options.typeId ?? 0);
    }
    if (options.timeZoneOffsetMinutes !== undefined) {
      writer.u16(timeZoneWord(options.timeZoneOffsetMinutes, options.timeZoneLowBits ?? 0));
    }
    return frame(GT06_TYPES.login, writer.view(), serial);
  },

  heartbeat(status: Gt06Status & { language?: number }, serial: number): Buffer {
    checkUnsigned(status.terminalInfo, 0xff, 'terminalInfo');
    checkUnsigned(status.voltageLevel, 0xff, 'voltageLevel');
    checkUnsigned(status.gsmSignal, 0xff, 'gsmSignal');
    checkUnsigned(status.language ?? 0, 0xffff, 'language');
    const body = new BufferWriter(5).u8(status.terminalInfo).u8(status.voltageLevel).u8(status.gsmSignal).u16(status.language ?? 0);
    return frame(GT06_TYPES.heartbeat, body.view(), serial);
  },

  /** A location (0x12 unless `options.type`); cell and 0x22 fields come from `position.attributes`. */
  location(position: Position, serial: number, options: Gt06LocationOptions = {}): Buffer {
    const layout = layoutFor(options.type ?? GT06_TYPES.location, ['location']);
    return frame(layout.type, walkLayout(layout, position, options.timeZoneOffsetMinutes ?? 0), serial);
  },

  /** An alarm packet (0x16 unless `options.type`); status bytes and fence id come from `position.attributes`. */
  alarm(position: Position, alarmCode: number, serial: number, options: Gt06LocationOptions = {}): Buffer {
    const layout = layoutFor(options.type ?? GT06_TYPES.alarm, ['alarm']);
    const withCode = { ...position, attributes: { ...position.attributes, alarmCode } };
    return frame(layout.type, walkLayout(layout, withCode, options.timeZoneOffsetMinutes ?? 0), serial);
  },

  /** 0x19: cell and status without a fix; `attributes` holds mcc, mnc, lac, cellId and the status bytes. */
  lbsAlarm(alarmCode: number, attributes: Record<string, unknown>, serial: number): Buffer {
    const layout = layoutFor(GT06_TYPES.lbsAlarm, ['lbsAlarm']);
    const carrier: Position = { ...positionWithoutFix('', 0), attributes: { ...attributes, alarmCode } };
    return frame(layout.type, walkLayout(layout, carrier, 0), serial);
  },

  /** The device's answer to 0x80: ASCII as 0x15 (language English), UTF-16BE as 0x21 in a `79 79` frame. */
  commandReply(serverFlag: number, text: string, serial: number, options: { utf16?: boolean } = {}): Buffer {
    if (!options.utf16) {
      return frame(GT06_TYPES.commandReply, flaggedText(serverFlag, ascii(text, 'reply'), LANGUAGE_ENGLISH), serial);
    }
    checkUnsigned(serverFlag, 0xffffffff, 'serverFlag');
    const content = utf16be(text);
    const body = new BufferWriter(5 + content.length).u32(serverFlag).u8(ENCODING_UTF16BE).bytes(content);
    return frame(GT06_TYPES.commandReplyUnicode, body.view(), serial, true);
  },

  /** 0x94 information with its sub-type and raw content, in a `79 79` frame as devices send it. */
  information(subType: number, content: Uint8Array, serial: number): Buffer {
    checkUnsigned(subType, 0xff, 'subType');
    const body = new BufferWriter(1 + content.length).u8(subType).bytes(content);
    return frame(GT06_TYPES.information, body.view(), serial, true);
  },

  timeRequest(serial: number): Buffer {
    return frame(GT06_TYPES.timeRequest, new Uint8Array(0), serial);
  },
};

