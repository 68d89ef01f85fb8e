import { GT06_TYPES } from './constants.ts';

/**
 * How one field travels. Plain integers (`u8`…`u32`) land in `position.attributes` under the field's
 * name; the others feed the Position itself.
 */
export type FieldKind =
  // 18 bytes: time YY MM DD hh mm ss (device clock), GPS length/satellites nibbles, latitude and
  // longitude (u32 minutes × 30000, signs in the course word), speed km/h, course/status u16
  | 'gps'
  | 'lbsLength' // u8 length of the cell block, written as 9
  | 'alarmCode' // u8 Concox alarm code, mapped onto ALARMS
  | 'acc' // u8, 1 = ignition on
  | 'centivolts' // u16 hundredths of a volt
  | 'u8'
  | 'u16'
  | 'u24'
  | 'u32';

export interface Field {
  readonly name: string;
  readonly kind: FieldKind;
}

export type LayoutName = 'location' | 'alarm' | 'lbsAlarm';

export interface Layout {
  readonly type: number;
  readonly name: LayoutName;
  readonly fields: readonly Field[];
  /** Bytes between the protocol number and the serial, derived from the fields. */
  readonly bodyLength: number;
  /**
   * The attributes this layout produces, in field order, all 0: each decode clones it, so every
   * position of a layout shares one object shape and the field writes only overwrite.
   */
  readonly attributeTemplate: Readonly<Record<string, number>>;
}

/**
 * A frame that breaks the length rule in a known way; only lenient mode decodes it. Such frames carry
 * no serial and no CRC, so the serial reads as 0 and nothing is checked.
 */
export interface LengthQuirk {
  readonly type: number;
  readonly declaredLength: number;
  /** Bytes actually present between the length field and the stop marker: protocol number and body only. */
  readonly payloadLength: number;
}

export const FIELD_SIZES: Readonly<Record<FieldKind, number>> = {
  gps: 18,
  lbsLength: 1,
  alarmCode: 1,
  acc: 1,
  centivolts: 2,
  u8: 1,
  u16: 2,
  u24: 3,
  u32: 4,
};

/** Kinds that feed the Position itself rather than its attributes. */
const POSITION_KINDS: ReadonlySet<FieldKind> = new Set<FieldKind>(['gps', 'lbsLength']);

const f = (name: string, kind: FieldKind): Field => ({ name, kind });

// GT06 protocol sheet §5.2.1 "GPS information": the block every location and alarm packet starts with.
const GPS: readonly Field[] = [f('gps', 'gps')];
// §5.2.1 "LBS information": MCC, MNC, LAC, cell id.
const LBS: readonly Field[] = [f('mcc', 'u16'), f('mnc', 'u8'), f('lac', 'u16'), f('cellId', 'u24')];
// GT06 "GPS LBS 6" variant (0x11): two-byte MNC, four-byte cell id.
const LBS_WIDE: readonly Field[] = [f('mcc', 'u16'), f('mnc', 'u16'), f('lac', 'u16'), f('cellId', 'u32')];
// §5.3.1 "Status information": terminal info, voltage level, GSM signal, alarm/language.
const STATUS: readonly Field[] = [
  f('terminalInfo', 'u8'),
  f('voltageLevel', 'u8'),
  f('gsmSignal', 'u8'),
  f('alarmCode', 'alarmCode'),
  f('language', 'u8'),
];
// Clones whose status block carries the external voltage as two bytes instead of a 0..6 level.
const STATUS_VOLTS: readonly Field[] = [
  f('terminalInfo', 'u8'),
  f('externalVoltageV', 'centivolts'),
  f('gsmSignal', 'u8'),
  f('alarmCode', 'alarmCode'),
  f('language', 'u8'),
];
const LBS_LENGTH: readonly Field[] = [f('lbsLength', 'lbsLength')];

function layout(type: number, name: LayoutName, fields: readonly Field[]): Layout {
  const attributeTemplate: Record<string, number> = {};
  for (const field of fields) if (!POSITION_KINDS.has(field.kind)) attributeTemplate[field.name] = 0;
  return { type, name, fields, bodyLength: fields.reduce((sum, field) => sum + FIELD_SIZES[field.kind], 0), attributeTemplate };
}

/** Every table-shaped body; a device variant is a row here, chosen by (protocol number, body length). */
export const LAYOUTS: readonly Layout[] = [
  layout(GT06_TYPES.gpsOnly, 'location', GPS),
  layout(GT06_TYPES.gpsLbs6, 'location', [...GPS, ...LBS_WIDE]),
  layout(GT06_TYPES.location, 'location', [...GPS, ...LBS]), // §5.2 GPS + LBS
  // GT06N 0x22: ACC, data upload mode, real-time or re-uploaded.
  layout(GT06_TYPES.location2, 'location', [...GPS, ...LBS, f('acc', 'acc'), f('uploadMode', 'u8'), f('reupload', 'u8')]),
  layout(GT06_TYPES.alarm, 'alarm', [...GPS, ...LBS_LENGTH, ...LBS, ...STATUS]), // §5.3 alarm packet
  layout(GT06_TYPES.alarm, 'alarm', [...GPS, ...LBS_LENGTH, ...LBS, ...STATUS_VOLTS]),
  layout(GT06_TYPES.alarm2, 'alarm', [...GPS, ...LBS_LENGTH, ...LBS, ...STATUS]),
  layout(GT06_TYPES.alarmFence, 'alarm', [...GPS, ...LBS_LENGTH, ...LBS, ...STATUS, f('fenceId', 'u8')]),
  layout(GT06_TYPES.lbsAlarm, 'lbsAlarm', [...LBS, ...STATUS]), // LBS alarm: no fix
];

/** Frames from real devices that miscount their length (shared/vectors/gt06-quirks.tsv). */
export const LENGTH_QUIRKS: readonly LengthQuirk[] = [
  // GPS-only 0x10 from clones: length one short, and no serial or CRC before the stop marker.
  { type: GT06_TYPES.gpsOnly, declaredLength: 18, payloadLength: 19 },
];

const layoutKey = (type: number, bodyLength: number): number => type * 0x10000 + bodyLength;
const BY_KEY = new Map(LAYOUTS.map((row) => [layoutKey(row.type, row.bodyLength), row]));
const LAYOUT_TYPES = new Set(LAYOUTS.map((row) => row.type));

export function findLayout(type: number, bodyLength: number): Layout | undefined {
  return BY_KEY.get(layoutKey(type, bodyLength));
}

export function hasLayout(type: number): boolean {
  return LAYOUT_TYPES.has(type);
}

/** The preferred (first) layout of a protocol number, used by the encoder. */
export function defaultLayout(type: number): Layout | undefined {
  return LAYOUTS.find((row) => row.type === type);
}

export function findLengthQuirk(type: number, declaredLength: number, payloadLength: number): LengthQuirk | undefined {
  return LENGTH_QUIRKS.find(
    (quirk) => quirk.type === type && quirk.declaredLength === declaredLength && quirk.payloadLength === payloadLength,
  );
}
