import { BufferWriter } from '../buffer-writer.ts';
import { xor8 } from '../checksum.ts';
import {
  DEFAULT_TIME_ZONE_OFFSET_MINUTES,
  ESCAPE_BYTE,
  FRAME_MARKER,
  JT808_MESSAGE_IDS as ID,
  MAX_BODY_LENGTH,
} from './constants.ts';
import { writeHeader } from './header.ts';
import { AUTH_IMEI_LENGTH, AUTH_SOFTWARE_LENGTH, REGISTER_WIDTHS, SIMPLE_LAYOUTS, type RegisterEdition } from './layouts.ts';
import { writeLocation, type Jt808LocationFields } from './location.ts';
import type { Jt808MediaFields, Jt808Parameter, Jt808Target } from './messages.ts';
import { writeParameters } from './parameters.ts';
import { checkUnsigned } from './range.ts';
import { encodeGbk, fixedGbk } from './text.ts';
import { writeBcdTime } from './time.ts';

// Shared writers, reset at the start of every encode so a throw part-way leaves nothing behind.
const bodyWriter = new BufferWriter(1100);
const contentWriter = new BufferWriter(1100);
const WIDTHS = { u8: 1, u16: 2, u32: 4 } as const;

/** Header + body, check byte, escaping, 7E markers (§4.4.1–4.4.4). The result is owned by the caller. */
function frame(target: Jt808Target, id: number, body: Uint8Array, serial: number, subpackage?: { total: number; index: number }): Buffer {
  checkUnsigned('serial', serial, 2);
  const content = contentWriter.reset();
  writeHeader(content, target, id, body.length, serial, subpackage);
  content.bytes(body);
  const check = xor8(content.view());
  content.u8(check);
  const bytes = content.view();
  let escapes = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === FRAME_MARKER || bytes[i] === ESCAPE_BYTE) escapes++;
  const out = Buffer.allocUnsafe(bytes.length + escapes + 2);
  let at = 0;
  out[at++] = FRAME_MARKER;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === FRAME_MARKER || byte === ESCAPE_BYTE) {
      out[at++] = ESCAPE_BYTE;
      out[at++] = byte === FRAME_MARKER ? 0x02 : 0x01;
    } else out[at++] = byte;
  }
  out[at] = FRAME_MARKER;
  return out;
}

/** A body too long for one frame as subpackages (§4.4.3), serials counting up from `firstSerial`. */
function fragments(target: Jt808Target, id: number, body: Uint8Array, firstSerial: number, maxBodyBytes = MAX_BODY_LENGTH): Buffer[] {
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_LENGTH) {
    throw new RangeError(`maxBodyBytes must be 1..${MAX_BODY_LENGTH}, got ${maxBodyBytes}`);
  }
  const total = Math.max(1, Math.ceil(body.length / maxBodyBytes));
  if (total > 0xffff) throw new RangeError(`body of ${body.length} bytes needs ${total} subpackages, more than 65535`);
  const frames: Buffer[] = [];
  for (let index = 1; index <= total; index++) {
    const part = body.subarray((index - 1) * maxBodyBytes, index * maxBodyBytes);
    frames.push(frame(target, id, part, (firstSerial + index - 1) & 0xffff, { total, index }));
  }
  return frames;
}

/** Encodes a SIMPLE_LAYOUTS body from named values, validating each before anything is framed. */
function simple(target: Jt808Target, id: number, fields: object, serial: number): Buffer {
  const values = fields as Readonly<Record<string, unknown>>;
  const w = bodyWriter.reset();
  for (const field of SIMPLE_LAYOUTS.get(id)!.fields) {
    if (field.only2019 && target.version !== 2019) continue;
    const value = values[field.name];
    if (field.type === 'gbkRest' || field.type === 'gbkLen8') {
      const bytes = encodeGbk(String(value ?? ''));
      if (field.type === 'gbkLen8') {
        if (bytes.length > 255) throw new RangeError(`${field.name} is ${bytes.length} bytes, more than 255`);
        w.u8(bytes.length);
      }
      w.bytes(bytes);
    } else if (field.type === 'utcTime') {
      writeBcdTime(w, value as number, 0);
    } else {
      checkUnsigned(field.name, value as number, WIDTHS[field.type]);
      if (field.type === 'u8') w.u8(value as number);
      else if (field.type === 'u16') w.u16(value as number);
      else w.u32(value as number);
    }
  }
  return frame(target, id, w.view(), serial);
}

function offsetOf(target: Jt808Target): number {
  return target.timeZoneOffsetMinutes ?? DEFAULT_TIME_ZONE_OFFSET_MINUTES;
}

export interface Jt808RegisterFields {
  provinceId: number;
  cityId: number;
  manufacturerId: string;
  terminalModel: string;
  terminalId: string;
  plateColor: number;
  plate: string;
  /** Field widths; default 2019 under a 2019 header, else 2013. */
  edition?: RegisterEdition;
}

export interface Jt808MediaUploadFields extends Jt808MediaFields {
  location: Jt808LocationFields;
  data: Uint8Array;
}

/**
 * Every JT/T 808 encoder, platform and terminal side; each returns a complete escaped frame with markers.
 * `target` is the terminal (its header fits): a 2019 terminal gets 2019 headers.
 */
export const encodeJt808 = {
  frame,
  fragments,

  // Platform → terminal.
  platformAck(target: Jt808Target, ackSerial: number, ackId: number, result: 0 | 1 | 2 | 3 | 4, serial: number): Buffer {
    return simple(target, ID.platformAck, { ackSerial, ackId, result }, serial);
  },
  resendRequest(target: Jt808Target, fields: { originalSerial: number; packets: readonly number[] }, serial: number): Buffer {
    const w = bodyWriter.reset();
    checkUnsigned('originalSerial', fields.originalSerial, 2);
    checkUnsigned('packet count', fields.packets.length, target.version === 2019 ? 2 : 1);
    w.u16(fields.originalSerial);
    if (target.version === 2019) w.u16(fields.packets.length);
    else w.u8(fields.packets.length);
    for (const index of fields.packets) {
      checkUnsigned('packet index', index, 2);
      w.u16(index);
    }
    return frame(target, ID.resendRequest, w.view(), serial);
  },
  timeReply(target: Jt808Target, timeMs: number, serial: number): Buffer {
    return simple(target, ID.timeReply, { timeMs }, serial);
  },
  /** The auth code is sent only with result 0 (§8.6). */
  registerAck(target: Jt808Target, ackSerial: number, result: 0 | 1 | 2 | 3 | 4, authCode: string | null, serial: number): Buffer {
    return simple(target, ID.registerAck, { ackSerial, result, authCode: result === 0 ? (authCode ?? '') : '' }, serial);
  },
  setParameters(target: Jt808Target, params: readonly Jt808Parameter[], serial: number): Buffer {
    checkUnsigned('parameter count', params.length, 1);
    const w = bodyWriter.reset().u8(params.length);
    writeParameters(w, params);
    return frame(target, ID.setParameters, w.view(), serial);
  },
  queryParameters(target: Jt808Target, serial: number): Buffer {
    return simple(target, ID.queryParameters, {}, serial);
  },
  querySomeParameters(target: Jt808Target, ids: readonly number[], serial: number): Buffer {
    checkUnsigned('parameter count', ids.length, 1);
    const w = bodyWriter.reset().u8(ids.length);
    for (const id of ids) {
      checkUnsigned('parameter id', id, 4);
      w.u32(id);
    }
    return frame(target, ID.querySomeParameters, w.view(), serial);
  },
  /** 0x8105: command word (1 upgrade, 2 connect, 3 power off, 4 reset, 5 factory reset, …), ';'-separated params. */
  control(target: Jt808Target, fields: { command: number; params?: string }, serial: number): Buffer {
    return simple(target, ID.control, fields, serial);
  },
  locationQuery(target: Jt808Target, serial: number): Buffer {
    return simple(target, ID.locationQuery, {}, serial);
  },
  tracking(target: Jt808Target, fields: { intervalS: number; validityS: number }, serial: number): Buffer {
    return simple(target, ID.tracking, fields, serial);
  },
  alarmConfirm(target: Jt808Target, fields: { ackSerial: number; alarmMask: number }, serial: number): Buffer {
    return simple(target, ID.alarmConfirm, fields, serial);
  },
  /** 0x8300: flag bits (2013: 0 emergency, 2 display, 3 TTS, 4 ad screen, 5 CAN; 2019 adds a text type, default 1). */
  text(target: Jt808Target, fields: { flag: number; text: string; textType?: number }, serial: number): Buffer {
    return simple(target, ID.text, { textType: 1, ...fields }, serial);
  },
  /** JT/T 1078 0x9101: dataType 0 audio+video, 1 video, …; stream 0 main, 1 sub. */
  liveVideo(
    target: Jt808Target,
    fields: { ip: string; tcpPort: number; udpPort: number; channel: number; dataType: number; stream: number },
    serial: number,
  ): Buffer {
    return simple(target, ID.liveVideo, fields, serial);
  },

  // Terminal → platform (the simulator and tests).
  terminalResponse(target: Jt808Target, fields: { ackSerial: number; ackId: number; result: number }, serial: number): Buffer {
    return simple(target, ID.terminalResponse, fields, serial);
  },
  heartbeat(target: Jt808Target, serial: number): Buffer {
    return simple(target, ID.heartbeat, {}, serial);
  },
  logout(target: Jt808Target, serial: number): Buffer {
    return simple(target, ID.logout, {}, serial);
  },
  timeRequest(target: Jt808Target, serial: number): Buffer {
    return simple(target, ID.timeRequest, {}, serial);
  },
  register(target: Jt808Target, fields: Jt808RegisterFields, serial: number): Buffer {
    const widths = REGISTER_WIDTHS[fields.edition ?? (target.version === 2019 ? 2019 : 2013)];
    checkUnsigned('provinceId', fields.provinceId, 2);
    checkUnsigned('cityId', fields.cityId, 2);
    checkUnsigned('plateColor', fields.plateColor, 1);
    const w = bodyWriter.reset().u16(fields.provinceId).u16(fields.cityId);
    w.bytes(fixedGbk(fields.manufacturerId, widths.manufacturerId, 'manufacturerId'));
    w.bytes(fixedGbk(fields.terminalModel, widths.terminalModel, 'terminalModel'));
    w.bytes(fixedGbk(fields.terminalId, widths.terminalId, 'terminalId'));
    w.u8(fields.plateColor).bytes(encodeGbk(fields.plate));
    return frame(target, ID.register, w.view(), serial);
  },
  authenticate(target: Jt808Target, fields: { authCode: string; imei?: string; softwareVersion?: string }, serial: number): Buffer {
    const code = encodeGbk(fields.authCode);
    const w = bodyWriter.reset();
    if (target.version !== 2019) return frame(target, ID.authenticate, w.bytes(code).view(), serial);
    checkUnsigned('authCode length', code.length, 1);
    w.u8(code.length).bytes(code);
    w.bytes(fixedGbk(fields.imei ?? '', AUTH_IMEI_LENGTH, 'imei'));
    w.bytes(fixedGbk(fields.softwareVersion ?? '', AUTH_SOFTWARE_LENGTH, 'softwareVersion'));
    return frame(target, ID.authenticate, w.view(), serial);
  },
  parameters(target: Jt808Target, fields: { ackSerial: number; params: readonly Jt808Parameter[] }, serial: number): Buffer {
    checkUnsigned('ackSerial', fields.ackSerial, 2);
    checkUnsigned('parameter count', fields.params.length, 1);
    const w = bodyWriter.reset().u16(fields.ackSerial).u8(fields.params.length);
    writeParameters(w, fields.params);
    return frame(target, ID.parameters, w.view(), serial);
  },
  location(target: Jt808Target, fields: Jt808LocationFields, serial: number): Buffer {
    const w = bodyWriter.reset();
    writeLocation(w, fields, offsetOf(target));
    return frame(target, ID.location, w.view(), serial);
  },
  locationReply(target: Jt808Target, fields: { ackSerial: number; location: Jt808LocationFields }, serial: number): Buffer {
    checkUnsigned('ackSerial', fields.ackSerial, 2);
    const w = bodyWriter.reset().u16(fields.ackSerial);
    writeLocation(w, fields.location, offsetOf(target));
    return frame(target, ID.locationReply, w.view(), serial);
  },
  /** 0x0704: batchType 0 regular, 1 blind-area resend. */
  locationBatch(target: Jt808Target, fields: { batchType: number; locations: readonly Jt808LocationFields[] }, serial: number): Buffer {
    checkUnsigned('batchType', fields.batchType, 1);
    checkUnsigned('batch count', fields.locations.length, 2);
    const w = bodyWriter.reset().u16(fields.locations.length).u8(fields.batchType);
    for (const location of fields.locations) {
      const lengthAt = w.length;
      w.u16(0);
      writeLocation(w, location, offsetOf(target));
      w.patchU16(lengthAt, w.length - lengthAt - 2);
    }
    return frame(target, ID.locationBatch, w.view(), serial);
  },
  mediaEvent(target: Jt808Target, fields: Jt808MediaFields, serial: number): Buffer {
    return simple(target, ID.mediaEvent, fields, serial);
  },
  /** 0x0801 as subpackages of at most `maxBodyBytes` body bytes (one frame when it fits). */
  mediaUpload(target: Jt808Target, fields: Jt808MediaUploadFields, firstSerial: number, maxBodyBytes = MAX_BODY_LENGTH): Buffer[] {
    checkUnsigned('mediaId', fields.mediaId, 4);
    for (const name of ['mediaType', 'format', 'event', 'channel'] as const) checkUnsigned(name, fields[name], 1);
    const w = new BufferWriter(64 + fields.data.length);
    w.u32(fields.mediaId).u8(fields.mediaType).u8(fields.format).u8(fields.event).u8(fields.channel);
    writeLocation(w, { ...fields.location, items: [] }, offsetOf(target));
    w.bytes(fields.data);
    const body = w.view();
    if (body.length <= maxBodyBytes) return [frame(target, ID.mediaUpload, body, firstSerial)];
    return fragments(target, ID.mediaUpload, body, firstSerial, maxBodyBytes);
  },
};
