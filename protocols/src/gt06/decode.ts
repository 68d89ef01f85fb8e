import { BufferReader } from '../buffer-reader.ts';
import { crc16X25 } from '../checksum.ts';
import { FrameError } from '../frame-error.ts';
import type { Position } from '../position.ts';
import { decodeBody } from './bodies.ts';
import { LENGTH_OVERHEAD, LONG_START, MIN_FRAME_LENGTH, SHORT_START, STOP_CR, STOP_LF } from './constants.ts';
import { alarmsOf, course, fixValid, readField, signedLat, signedLon, type Walked } from './fields.ts';
import { findLayout, findLengthQuirk, hasLayout, type Layout } from './layouts.ts';
import type { Gt06Message } from './messages.ts';

export interface Gt06DecodeContext {
  /** The session's IMEI, copied into Position.uniqueId ('' when absent). */
  uniqueId?: string;
  /** Device clock offset from UTC (login time-zone word or per-device setting); default 0. */
  timeZoneOffsetMinutes?: number;
  /** Accept the known-broken frames (CRC mismatch, length quirks of gt06-quirks.tsv). */
  lenient?: boolean;
}

/** Where a checked frame's parts lie; one instance, reused frame after frame. */
export interface Envelope {
  type: number;
  bodyStart: number;
  bodyEnd: number;
  serial: number;
  lenient: boolean;
}

const NO_CONTEXT: Gt06DecodeContext = {};
const reader = new BufferReader();
const envelope: Envelope = { type: 0, bodyStart: 0, bodyEnd: 0, serial: 0, lenient: false };
const walked: Walked = {
  fixTimeMs: 0,
  latUnits: 0,
  lonUnits: 0,
  speedKmh: 0,
  courseStatus: 0,
  satellites: null,
  ignition: null,
  alarmCode: null,
};

/** Bounds are checked by the caller; Buffer#readUInt16BE would check them again. */
const u16 = (frame: Buffer, at: number): number => (frame[at]! << 8) | frame[at + 1]!;
const hex = (value: number, digits: number): string => '0x' + value.toString(16).padStart(digits, '0');

/** Checks markers, length and CRC, and fills `envelope`; returns why the frame is refused, if it is. */
function open(frame: Buffer, lenient: boolean): FrameError | undefined {
  const size = frame.length;
  if (size < MIN_FRAME_LENGTH) return new FrameError('short', `frame too short: ${size} byte(s), at least ${MIN_FRAME_LENGTH} needed`);
  const start = frame[0]!;
  if ((start !== SHORT_START && start !== LONG_START) || frame[1] !== start) {
    return new FrameError('marker', `bad start marker ${frame.subarray(0, 2).toString('hex')}, expected 7878 or 7979`);
  }
  if (frame[size - 2] !== STOP_CR || frame[size - 1] !== STOP_LF) {
    return new FrameError('marker', `bad stop marker ${frame.subarray(size - 2).toString('hex')}, expected 0d0a`);
  }
  const headerLength = start === SHORT_START ? 3 : 4;
  const declared = start === SHORT_START ? frame[2]! : u16(frame, 2);
  const payloadEnd = size - 2;
  const present = payloadEnd - headerLength;
  envelope.type = frame[headerLength]!;
  envelope.bodyStart = headerLength + 1;
  envelope.lenient = false;
  if (present !== declared) {
    const quirk = findLengthQuirk(envelope.type, declared, present);
    if (quirk === undefined || !lenient) {
      return new FrameError('length', `length field says ${declared} byte(s) but ${present} follow`);
    }
    envelope.lenient = true;
    envelope.bodyEnd = payloadEnd;
    envelope.serial = 0;
    return undefined;
  }
  if (declared < LENGTH_OVERHEAD) {
    return new FrameError('length', `length field says ${declared} byte(s), at least ${LENGTH_OVERHEAD} needed`);
  }
  const sent = u16(frame, payloadEnd - 2);
  const computed = crc16X25(frame, 2, payloadEnd - 2);
  if (sent !== computed) {
    if (!lenient) return new FrameError('checksum', `CRC mismatch: frame says ${hex(sent, 4)}, computed ${hex(computed, 4)}`);
    envelope.lenient = true;
  }
  envelope.bodyEnd = payloadEnd - 4;
  envelope.serial = u16(frame, payloadEnd - 4);
  return undefined;
}

function walk(layout: Layout, context: Gt06DecodeContext, frame: Buffer): Gt06Message {
  const attributes: Record<string, unknown> = { ...layout.attributeTemplate };
  walked.satellites = null;
  walked.ignition = null;
  walked.alarmCode = null;
  const offsetMinutes = context.timeZoneOffsetMinutes ?? 0;
  for (const field of layout.fields) readField(reader, field, walked, attributes, offsetMinutes, frame);
  const { type, serial, lenient } = envelope;
  const alarms = alarmsOf(walked.alarmCode);
  if (layout.name === 'lbsAlarm') {
    return { protocol: 'gt06', type, name: 'lbsAlarm', serial, lenient, alarmCode: walked.alarmCode ?? 0, alarms, attributes };
  }
  const position: Position = {
    uniqueId: context.uniqueId ?? '',
    fixTimeMs: walked.fixTimeMs,
    lat: signedLat(walked),
    lon: signedLon(walked),
    altitudeM: 0,
    speedKmh: walked.speedKmh,
    course: course(walked),
    valid: fixValid(walked),
    satellites: walked.satellites,
    ignition: walked.ignition,
    odometerKm: null,
    fuelL: null,
    alarms,
    attributes,
  };
  if (layout.name === 'alarm') {
    return { protocol: 'gt06', type, name: 'alarm', serial, lenient, alarmCode: walked.alarmCode ?? 0, position };
  }
  return { protocol: 'gt06', type, name: 'location', serial, lenient, position };
}

function decodeOpened(context: Gt06DecodeContext, frame: Buffer): Gt06Message | FrameError {
  const { type, bodyStart, bodyEnd } = envelope;
  const layout = findLayout(type, bodyEnd - bodyStart);
  if (layout !== undefined) return walk(layout, context, frame);
  const message = decodeBody(reader, envelope, context);
  if (message !== undefined) return message;
  if (hasLayout(type)) {
    return new FrameError('length', `protocol number ${hex(type, 2)}: no layout has a body of ${bodyEnd - bodyStart} byte(s)`);
  }
  return new FrameError('unsupported', `protocol number ${hex(type, 2)} is not supported`);
}

/**
 * Decodes one whole frame as the splitter emits it. Never throws: a frame that cannot be decoded comes
 * back as a FrameError naming the reason. Reads no clock and holds no session: the context says who sent
 * it and how its clock is set.
 */
export function decodeGt06(frame: Buffer, context: Gt06DecodeContext = NO_CONTEXT): Gt06Message | FrameError {
  const refused = open(frame, context.lenient === true);
  if (refused !== undefined) return refused;
  reader.setBuffer(frame, envelope.bodyStart, envelope.bodyEnd);
  try {
    const message = decodeOpened(context, frame);
    if (!(message instanceof FrameError) && reader.remaining !== 0) {
      return new FrameError('length', `protocol number ${hex(envelope.type, 2)}: ${reader.remaining} byte(s) left after the body`);
    }
    return message;
  } catch (error) {
    if (error instanceof FrameError) return error;
    throw error;
  } finally {
    reader.detach();
  }
}
