import type { BufferReader } from '../buffer-reader.ts';
import { FrameError } from '../frame-error.ts';
import {
  ENCODING_ASCII,
  ENCODING_UTF16BE,
  GT06_TYPES,
  INFO_DOOR,
  INFO_EXTERNAL_VOLTAGE,
  INFO_IDENTITY,
  INFO_STATUS_TEXT,
  TIME_ZONE_LOW_BITS,
  TIME_ZONE_SHIFT,
  TIME_ZONE_WEST,
} from './constants.ts';
import type { Gt06DecodeContext, Envelope } from './decode.ts';
import { readTime } from './fields.ts';
import type { Gt06Message } from './messages.ts';

/** A language word of 0x0001 (Chinese) marks a UTF-16BE 0x80 command; English commands are ASCII. */
const LANGUAGE_CHINESE = 0x0001;
const IMEI_BYTES = 8;
/** Command length byte counts the 4-byte server flag before the text. */
const SERVER_FLAG_BYTES = 4;

/** 16 BCD digits with the leading pad removed: 0123456789012345 → 123456789012345. */
function unpad(digits: string): string {
  return digits.length === 16 && digits.startsWith('0') ? digits.slice(1) : digits;
}

/** Minutes east of UTC from the long login's time-zone word (hours × 100 + minutes in bits 15..4). */
export function timeZoneMinutes(word: number): number {
  const value = word >> TIME_ZONE_SHIFT;
  const minutes = Math.floor(value / 100) * 60 + (value % 100);
  return word & TIME_ZONE_WEST ? -minutes : minutes;
}

function decodeLogin(reader: BufferReader, { serial, lenient }: Envelope): Gt06Message {
  const imei = unpad(reader.bcd(IMEI_BYTES, 'IMEI'));
  const typeId = reader.remaining >= 2 ? reader.u16('type id') : null;
  if (reader.remaining < 2) return { protocol: 'gt06', type: GT06_TYPES.login, name: 'login', serial, lenient, imei, typeId };
  const word = reader.u16('time-zone word');
  return {
    protocol: 'gt06',
    type: GT06_TYPES.login,
    name: 'login',
    serial,
    lenient,
    imei,
    typeId,
    timeZoneOffsetMinutes: timeZoneMinutes(word),
    timeZoneLowBits: word & TIME_ZONE_LOW_BITS,
  };
}

function decodeHeartbeat(reader: BufferReader, { serial, lenient }: Envelope): Gt06Message {
  return {
    protocol: 'gt06',
    type: GT06_TYPES.heartbeat,
    name: 'heartbeat',
    serial,
    lenient,
    terminalInfo: reader.u8('terminal info'),
    voltageLevel: reader.u8('voltage level'),
    gsmSignal: reader.u8('GSM signal'),
    language: reader.u16('language'),
  };
}

/** 0x15 reply and 0x80 command share: length (flag + text), server flag, text, optional language word. */
function readFlaggedText(reader: BufferReader): { serverFlag: number; text: string } {
  const length = reader.u8('command length');
  if (length < SERVER_FLAG_BYTES) throw new FrameError('invalid', `command length ${length} is below the 4-byte server flag`);
  const serverFlag = reader.u32('server flag');
  const raw = reader.bytes(length - SERVER_FLAG_BYTES, 'command text');
  const language = reader.remaining >= 2 ? reader.u16('language') : null;
  const text = language === LANGUAGE_CHINESE ? decodeUtf16Be(raw) : raw.toString('latin1');
  return { serverFlag, text };
}

/** Node has no UTF-16BE decoder; swap each pair's bytes into a copy and read it as UTF-16LE. */
function decodeUtf16Be(raw: Buffer): string {
  const swapped = Buffer.from(raw.subarray(0, raw.length & ~1));
  swapped.swap16();
  return swapped.toString('utf16le');
}

function decodeCommandReplyAscii(reader: BufferReader, { serial, lenient }: Envelope): Gt06Message {
  const { serverFlag, text } = readFlaggedText(reader);
  return { protocol: 'gt06', type: GT06_TYPES.commandReply, name: 'commandReply', serial, lenient, serverFlag, text, encoding: 'ascii' };
}

function decodeCommandReplyUnicode(reader: BufferReader, { serial, lenient }: Envelope): Gt06Message {
  const serverFlag = reader.u32('server flag');
  const encoding = reader.u8('encoding');
  if (encoding !== ENCODING_ASCII && encoding !== ENCODING_UTF16BE) {
    throw new FrameError('invalid', `encoding: ${encoding} is neither 1 (ASCII) nor 2 (UTF-16BE)`);
  }
  const raw = reader.bytes(reader.remaining, 'reply text');
  const utf16 = encoding === ENCODING_UTF16BE;
  const text = utf16 ? decodeUtf16Be(raw) : raw.toString('latin1');
  return {
    protocol: 'gt06',
    type: GT06_TYPES.commandReplyUnicode,
    name: 'commandReply',
    serial,
    lenient,
    serverFlag,
    text,
    encoding: utf16 ? 'utf16be' : 'ascii',
  };
}

function decodeServerCommand(reader: BufferReader, { serial, lenient }: Envelope): Gt06Message {
  const { serverFlag, text } = readFlaggedText(reader);
  return { protocol: 'gt06', type: GT06_TYPES.serverCommand, name: 'serverCommand', serial, lenient, serverFlag, command: text };
}

/** Hex digits of an identity field, without BCD padding: leading 0 of IMEI/IMSI, trailing F of ICCID. */
function identity(reader: BufferReader, length: number, field: string): string {
  return unpad(reader.bytes(length, field).toString('hex')).replace(/f+$/, '');
}

function readInformation(reader: BufferReader, subType: number, offsetMinutes: number): Record<string, unknown> {
  switch (subType) {
    case INFO_EXTERNAL_VOLTAGE:
      return { externalVoltageV: reader.u16('external voltage') / 100 };
    case INFO_STATUS_TEXT:
      return { statusText: reader.bytes(reader.remaining, 'status text').toString('latin1') };
    case INFO_DOOR: {
      // Some models put the event time before the flags byte.
      const timeMs = reader.remaining >= 7 ? readTime(reader, offsetMinutes) : null;
      const flags = reader.u8('door flags');
      return timeMs === null ? { door: (flags & 1) !== 0, doorFlags: flags } : { door: (flags & 1) !== 0, doorFlags: flags, timeMs };
    }
    case INFO_IDENTITY:
      return { imei: identity(reader, 8, 'IMEI'), imsi: identity(reader, 8, 'IMSI'), iccid: identity(reader, 10, 'ICCID') };
    default:
      return { data: reader.bytes(reader.remaining, 'information').toString('hex') };
  }
}

function decodeInformation(reader: BufferReader, { serial, lenient }: Envelope, context: Gt06DecodeContext): Gt06Message {
  const subType = reader.u8('information sub-type');
  const attributes = readInformation(reader, subType, context.timeZoneOffsetMinutes ?? 0);
  return { protocol: 'gt06', type: GT06_TYPES.information, name: 'information', serial, lenient, subType, attributes };
}

/** 0x8A from a device is a bare request; from the server it carries the UTC time. */
function decodeTime(reader: BufferReader, { type, serial, lenient }: Envelope): Gt06Message {
  if (reader.remaining === 0) return { protocol: 'gt06', type, name: 'timeRequest', serial, lenient };
  return { protocol: 'gt06', type, name: 'timeResponse', serial, lenient, timeMs: readTime(reader, 0) };
}

/**
 * The messages a field table cannot express (variable text, optional tails, sub-types). Returns
 * undefined for a protocol number it does not know.
 */
export function decodeBody(reader: BufferReader, envelope: Envelope, context: Gt06DecodeContext): Gt06Message | undefined {
  switch (envelope.type) {
    case GT06_TYPES.login:
      return decodeLogin(reader, envelope);
    case GT06_TYPES.heartbeat:
      return decodeHeartbeat(reader, envelope);
    case GT06_TYPES.commandReply:
      return decodeCommandReplyAscii(reader, envelope);
    case GT06_TYPES.commandReplyUnicode:
      return decodeCommandReplyUnicode(reader, envelope);
    case GT06_TYPES.serverCommand:
      return decodeServerCommand(reader, envelope);
    case GT06_TYPES.timeRequest:
      return decodeTime(reader, envelope);
    case GT06_TYPES.information:
      return decodeInformation(reader, envelope, context);
    default:
      return undefined;
  }
}
