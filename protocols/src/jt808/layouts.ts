import { JT808_MESSAGE_IDS as ID } from './constants.ts';

/**
 * Message bodies as tables. A simple body is a list of fields walked by one reader (decode) and one
 * writer (encode); a device quirk becomes a row here, not a branch in the decoder.
 */
export type FieldType =
  | 'u8'
  | 'u16'
  | 'u32'
  /** GBK text to the end of the body. */
  | 'gbkRest'
  /** A BYTE length, then that many GBK bytes. */
  | 'gbkLen8'
  /** BCD[6] YYMMDDhhmmss in UTC, as milliseconds since the epoch. */
  | 'utcTime';

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  /** Present only under a 2019 header. */
  readonly only2019?: boolean;
}

export interface BodyLayout {
  readonly name: string;
  readonly fields: readonly Field[];
}

const ack: readonly Field[] = [
  { name: 'ackSerial', type: 'u16' },
  { name: 'ackId', type: 'u16' },
  { name: 'result', type: 'u8' },
];

/** Bodies that are plain field lists, keyed by message id; the spec section is beside each row. */
export const SIMPLE_LAYOUTS: ReadonlyMap<number, BodyLayout> = new Map<number, BodyLayout>([
  [ID.terminalResponse, { name: 'terminalResponse', fields: ack }], // §8.1
  [ID.heartbeat, { name: 'heartbeat', fields: [] }], // §8.3
  [ID.logout, { name: 'logout', fields: [] }], // §8.9
  [ID.timeRequest, { name: 'timeRequest', fields: [] }], // 2019 §8.4
  [
    ID.mediaEvent, // §8.54
    {
      name: 'mediaEvent',
      fields: [
        { name: 'mediaId', type: 'u32' },
        { name: 'mediaType', type: 'u8' },
        { name: 'format', type: 'u8' },
        { name: 'event', type: 'u8' },
        { name: 'channel', type: 'u8' },
      ],
    },
  ],
  [ID.platformAck, { name: 'platformAck', fields: ack }], // §8.2
  [ID.timeReply, { name: 'timeReply', fields: [{ name: 'timeMs', type: 'utcTime' }] }], // 2019 §8.5
  [
    ID.registerAck, // §8.6: the code follows only a successful result; an empty rest reads as ''
    {
      name: 'registerAck',
      fields: [
        { name: 'ackSerial', type: 'u16' },
        { name: 'result', type: 'u8' },
        { name: 'authCode', type: 'gbkRest' },
      ],
    },
  ],
  [ID.queryParameters, { name: 'queryParameters', fields: [] }], // §8.10
  [
    ID.control, // §8.13: parameters are ';'-separated text
    {
      name: 'control',
      fields: [
        { name: 'command', type: 'u8' },
        { name: 'params', type: 'gbkRest' },
      ],
    },
  ],
  [ID.locationQuery, { name: 'locationQuery', fields: [] }], // §8.19
  [
    ID.tracking, // §8.21
    {
      name: 'tracking',
      fields: [
        { name: 'intervalS', type: 'u16' },
        { name: 'validityS', type: 'u32' },
      ],
    },
  ],
  [
    ID.alarmConfirm, // §8.22
    {
      name: 'alarmConfirm',
      fields: [
        { name: 'ackSerial', type: 'u16' },
        { name: 'alarmMask', type: 'u32' },
      ],
    },
  ],
  [
    ID.text, // §8.23; 2019 adds the text type byte
    {
      name: 'text',
      fields: [
        { name: 'flag', type: 'u8' },
        { name: 'textType', type: 'u8', only2019: true },
        { name: 'text', type: 'gbkRest' },
      ],
    },
  ],
  [
    ID.liveVideo, // JT/T 1078-2016 §5.4.1, table 17
    {
      name: 'liveVideo',
      fields: [
        { name: 'ip', type: 'gbkLen8' },
        { name: 'tcpPort', type: 'u16' },
        { name: 'udpPort', type: 'u16' },
        { name: 'channel', type: 'u8' },
        { name: 'dataType', type: 'u8' },
        { name: 'stream', type: 'u8' },
      ],
    },
  ],
]);

/** 0x0200 base block (§8.18, table 23): alarm, status, lat, lon, altitude, speed, course, time. */
export const LOCATION_BASE_LENGTH = 28;

export type ItemFieldType = 'u8' | 'u16' | 'u32' | 'i16' | 'signMagnitude16' | 'hex';

export interface ItemField {
  readonly name: string;
  readonly type: ItemFieldType;
  /** Multiplier from the wire unit to the attribute's unit (0.1 for 1/10 km). */
  readonly scale?: number;
}

export interface ItemLayout {
  /** The attribute name; a one-field item stores a number, a many-field item an object. */
  readonly key: string;
  readonly fields: readonly ItemField[];
  /** Trailing fields may be absent (0x11 sends only its type byte when the type is 0). */
  readonly optionalAfter?: number;
  /** A 'hex' field's fixed length in bytes. */
  readonly hexLength?: number;
}

/** 0x0200 additional items (2013 table 27/28, 2019 tables 27–30, JT/T 1078 table 13). */
export const LOCATION_ITEMS: ReadonlyMap<number, ItemLayout> = new Map<number, ItemLayout>([
  [0x01, { key: 'mileageKm', fields: [{ name: 'v', type: 'u32', scale: 0.1 }] }],
  [0x02, { key: 'fuelL', fields: [{ name: 'v', type: 'u16', scale: 0.1 }] }],
  [0x03, { key: 'recorderSpeedKmh', fields: [{ name: 'v', type: 'u16', scale: 0.1 }] }],
  [0x04, { key: 'alarmEventId', fields: [{ name: 'v', type: 'u16' }] }],
  [0x05, { key: 'tyrePressure', fields: [{ name: 'v', type: 'hex' }], hexLength: 30 }],
  [0x06, { key: 'carriageTemperatureC', fields: [{ name: 'v', type: 'signMagnitude16' }] }],
  [
    0x11,
    {
      key: 'overspeedAlarm',
      fields: [
        { name: 'areaType', type: 'u8' },
        { name: 'areaId', type: 'u32' },
      ],
      optionalAfter: 1,
    },
  ],
  [
    0x12,
    {
      key: 'areaAlarm',
      fields: [
        { name: 'areaType', type: 'u8' },
        { name: 'areaId', type: 'u32' },
        { name: 'direction', type: 'u8' },
      ],
    },
  ],
  [
    0x13,
    {
      key: 'sectionTimeAlarm',
      fields: [
        { name: 'sectionId', type: 'u32' },
        { name: 'drivingTimeS', type: 'u16' },
        { name: 'result', type: 'u8' },
      ],
    },
  ],
  [0x14, { key: 'videoAlarm', fields: [{ name: 'v', type: 'u32' }] }],
  [0x15, { key: 'videoSignalLoss', fields: [{ name: 'v', type: 'u32' }] }],
  [0x16, { key: 'videoSignalBlocked', fields: [{ name: 'v', type: 'u32' }] }],
  [0x17, { key: 'storageFault', fields: [{ name: 'v', type: 'u16' }] }],
  [0x25, { key: 'extendedStatus', fields: [{ name: 'v', type: 'u32' }] }],
  [0x2a, { key: 'io', fields: [{ name: 'v', type: 'u16' }] }],
  [
    0x2b,
    {
      key: 'analog',
      fields: [
        { name: 'ad1', type: 'u16' },
        { name: 'ad0', type: 'u16' },
      ],
    },
  ],
  [0x30, { key: 'rssi', fields: [{ name: 'v', type: 'u8' }] }],
  [0x31, { key: 'satellites', fields: [{ name: 'v', type: 'u8' }] }],
]);

export const ITEM_FIELD_LENGTH: Readonly<Record<Exclude<ItemFieldType, 'hex'>, number>> = {
  u8: 1,
  u16: 2,
  i16: 2,
  signMagnitude16: 2,
  u32: 4,
};

/** Terminal parameter value types (§8.8, table 12); ids not listed are written as DWORD when numeric. */
export type ParameterType = 'u8' | 'u16' | 'u32' | 'string';

function range(from: number, to: number, type: ParameterType): Array<[number, ParameterType]> {
  const rows: Array<[number, ParameterType]> = [];
  for (let id = from; id <= to; id++) rows.push([id, type]);
  return rows;
}

export const PARAMETER_TYPES: ReadonlyMap<number, ParameterType> = new Map<number, ParameterType>([
  ...range(0x0001, 0x0007, 'u32'), // heartbeat, TCP/UDP/SMS timeouts and retries
  ...range(0x0010, 0x0017, 'string'), // APNs, users, passwords, server addresses
  ...range(0x0018, 0x0019, 'u32'), // server TCP/UDP ports
  [0x001a, 'string'],
  ...range(0x001b, 0x001c, 'u32'),
  [0x001d, 'string'],
  ...range(0x0020, 0x0022, 'u32'), // report strategy, scheme, driver-absent interval
  ...range(0x0023, 0x0026, 'string'), // 2019 slave server
  ...range(0x0027, 0x0030, 'u32'), // intervals, distances, corner angle
  [0x0031, 'u16'], // fence radius
  ...range(0x0040, 0x0044, 'string'), // platform and SMS numbers
  ...range(0x0045, 0x0047, 'u32'),
  ...range(0x0048, 0x0049, 'string'),
  ...range(0x0050, 0x005a, 'u32'), // alarm masks, speed and fatigue limits
  ...range(0x005b, 0x005e, 'u16'),
  ...range(0x0064, 0x0065, 'u32'),
  ...range(0x0070, 0x0074, 'u32'), // image quality
  [0x0080, 'u32'], // odometer, 1/10 km
  ...range(0x0081, 0x0082, 'u16'), // province, city
  [0x0083, 'string'], // plate
  [0x0084, 'u8'], // plate colour
  ...range(0x0090, 0x0092, 'u8'), // GNSS mode, baud rate, output rate
  [0x0093, 'u32'],
  [0x0094, 'u8'],
  [0x0095, 'u32'],
  [0x0100, 'u32'],
  [0x0101, 'u16'],
  [0x0102, 'u32'],
  [0x0103, 'u16'],
]);

/** 0x0100 field widths per edition (§8.5 table 8; 2011 used 8-byte models, 2019 widened all three). */
export const REGISTER_WIDTHS = {
  2011: { manufacturerId: 5, terminalModel: 8, terminalId: 7 },
  2013: { manufacturerId: 5, terminalModel: 20, terminalId: 7 },
  2019: { manufacturerId: 11, terminalModel: 30, terminalId: 30 },
} as const;
export type RegisterEdition = keyof typeof REGISTER_WIDTHS;
/** Province + city + the three ids + plate colour, before the plate: 37 bytes in 2013, 25 in 2011. */
export const REGISTER_FIXED_2013 = 2 + 2 + 5 + 20 + 7 + 1;

/** 0x0102 2019 body (§8.8): code length, code, IMEI[15], software version[20]. */
export const AUTH_IMEI_LENGTH = 15;
export const AUTH_SOFTWARE_LENGTH = 20;

/**
 * LOCATION_ITEMS compiled for the hot path: indexed by item id, sizes precomputed, and every entry the
 * same shape, so the item walker's property loads stay monomorphic.
 */
export interface CompiledItem {
  readonly key: string;
  /** True for items kept as hex even when known (tyre pressures). */
  readonly hex: boolean;
  /** Byte length with every field present, and with only the mandatory ones. */
  readonly fullLength: number;
  readonly minLength: number;
  /** A one-field item stores a number, not an object. */
  readonly single: boolean;
  /** Fields read when the item is short (only the mandatory ones). */
  readonly shortCount: number;
  readonly names: readonly string[];
  /** Per field: offset in the item, read kind (1, 2, 4 unsigned; -2 signed; 3 sign-magnitude) and scale (1 = none). */
  readonly offsets: readonly number[];
  readonly kinds: readonly number[];
  readonly scales: readonly number[];
  /** The first field's read kind, and 1/scale when that is a whole number (0 otherwise): 10 for 0.1. */
  readonly kind: number;
  readonly divisor: number;
}

const FIELD_KINDS: Readonly<Record<Exclude<ItemFieldType, 'hex'>, number>> = { u8: 1, u16: 2, u32: 4, i16: -2, signMagnitude16: 3 };

function compileItem(layout: ItemLayout): CompiledItem {
  const fields = layout.fields;
  const shortCount = layout.optionalAfter ?? fields.length;
  const hex = layout.hexLength !== undefined;
  const sizes = hex ? [] : fields.map((field) => ITEM_FIELD_LENGTH[field.type as Exclude<ItemFieldType, 'hex'>]);
  const sum = (count: number) => sizes.slice(0, count).reduce((a, b) => a + b, 0);
  return {
    key: layout.key,
    hex,
    fullLength: hex ? layout.hexLength! : sum(sizes.length),
    minLength: hex ? layout.hexLength! : sum(shortCount),
    single: fields.length === 1,
    shortCount,
    names: fields.map((field) => field.name),
    offsets: sizes.map((_, i) => sum(i)),
    kinds: hex ? [] : fields.map((field) => FIELD_KINDS[field.type as Exclude<ItemFieldType, 'hex'>]),
    scales: fields.map((field) => field.scale ?? 1),
    kind: hex ? 0 : FIELD_KINDS[fields[0]!.type as Exclude<ItemFieldType, 'hex'>],
    divisor: Number.isInteger(1 / (fields[0]!.scale ?? 1)) ? 1 / (fields[0]!.scale ?? 1) : 0,
  };
}

export const COMPILED_ITEMS: readonly (CompiledItem | undefined)[] = Array.from({ length: 256 }, (_, id) => {
  const layout = LOCATION_ITEMS.get(id);
  return layout && compileItem(layout);
});

/** Attribute names of items kept as hex, one per id, built once (`item0xE1`). */
export const RAW_ITEM_KEYS: readonly string[] = Object.keys(Object.fromEntries(Array.from({ length: 256 }, (_, id) => [`item0x${id.toString(16).padStart(2, '0').toUpperCase()}`, 0])));
