import type { Alarm } from '../position.ts';

/** Start markers: `78 78` frames carry a 1-byte length, `79 79` frames a 2-byte length. */
export const SHORT_START = 0x78;
export const LONG_START = 0x79;
export const STOP_CR = 0x0d;
export const STOP_LF = 0x0a;
/** What the length field counts besides the body: protocol number (1) + serial (2) + CRC (2). */
export const LENGTH_OVERHEAD = 5;
/** The shortest frame: 78 78, length, protocol, serial, CRC, 0D 0A. */
export const MIN_FRAME_LENGTH = 2 + 1 + LENGTH_OVERHEAD + 2;
/** The splitter's default cap on one frame; real GT06 frames stay far below it, noise does not. */
export const DEFAULT_MAX_FRAME_BYTES = 1024;

/** Protocol numbers as Concox documents them (GT06 / GT06N / GT800 protocol sheets). */
export const GT06_TYPES = {
  login: 0x01,
  gpsOnly: 0x10,
  gpsLbs6: 0x11,
  location: 0x12,
  heartbeat: 0x13,
  commandReply: 0x15,
  alarm: 0x16,
  lbsAlarm: 0x19,
  commandReplyUnicode: 0x21,
  location2: 0x22,
  alarm2: 0x26,
  alarmFence: 0x27,
  serverCommand: 0x80,
  timeRequest: 0x8a,
  information: 0x94,
} as const;
export type Gt06TypeName = keyof typeof GT06_TYPES;

/** Reverse map, protocol number → name, derived so the two can never disagree. */
export const GT06_TYPE_NAMES: ReadonlyMap<number, Gt06TypeName> = new Map(
  Object.entries(GT06_TYPES).map(([name, type]) => [type, name as Gt06TypeName]),
);

/** Bits of the 2-byte course/status word of every GPS block. */
export const COURSE_MASK = 0x03ff;
export const STATUS_NORTH = 0x0400;
export const STATUS_WEST = 0x0800;
export const STATUS_VALID = 0x1000;
/** Set when bit 15 carries the ACC (ignition) state. */
export const STATUS_ACC_PRESENT = 0x4000;
export const STATUS_ACC_ON = 0x8000;
/** Latitude and longitude travel as minutes × 30000. */
export const COORDINATE_SCALE = 30000 * 60;
/** High nibble of the satellites byte: the GPS block's length, 12 in every device seen. */
export const GPS_INFO_LENGTH_NIBBLE = 0xc0;
/** The LBS length byte of alarm packets: itself + MCC 2 + MNC 1 + LAC 2 + cell 3. */
export const LBS_LENGTH = 9;

/** Time-zone word of the long login: bits 15..4 = hours × 100 + minutes, bit 3 = west of Greenwich. */
export const TIME_ZONE_SHIFT = 4;
export const TIME_ZONE_WEST = 0x08;
export const TIME_ZONE_LOW_BITS = 0x07;

/** 0x21 and 0x80 content encodings. */
export const ENCODING_ASCII = 0x01;
export const ENCODING_UTF16BE = 0x02;

/** Information (0x94) sub-types. */
export const INFO_EXTERNAL_VOLTAGE = 0x00;
export const INFO_STATUS_TEXT = 0x04;
export const INFO_DOOR = 0x05;
export const INFO_IDENTITY = 0x0a;

/**
 * Concox alarm codes (the alarm byte of 0x16/0x26/0x27/0x19) mapped onto the shared vocabulary. Codes
 * without a common name (power off 0x11, fall 0x23, …) still reach the position as `alarmCode`.
 */
export const GT06_ALARM_CODES: ReadonlyMap<number, Alarm> = new Map<number, Alarm>([
  [0x01, 'sos'],
  [0x02, 'powerCut'],
  [0x03, 'vibration'],
  [0x04, 'geofenceEnter'],
  [0x05, 'geofenceExit'],
  [0x06, 'overspeed'],
  [0x09, 'movement'], // "displacement alarm": the vehicle moved while armed
  [0x0e, 'lowExternalPower'],
  [0x0f, 'lowExternalPower'], // low external power, protection cut in
  [0x13, 'tampering'], // device removed
  [0x14, 'doorOpen'],
  [0x18, 'tampering'], // case opened
  [0x19, 'lowBattery'], // internal battery
  [0x29, 'harshAcceleration'],
  [0x2a, 'harshCornering'],
  [0x2b, 'harshCornering'],
  [0x2c, 'collision'],
  [0x30, 'harshBraking'],
]);

/** Usual text forms of engine cut/resume understood by GT06 relays. */
export const GT06_ENGINE_STOP_COMMAND = 'Relay,1#';
export const GT06_ENGINE_RESUME_COMMAND = 'Relay,0#';
