import type { Alarm } from '../position.ts';

/** Message ids (JT/T 808-2019 §8 and table 3; 0x9101 from JT/T 1078-2016 table 17). */
export const JT808_MESSAGE_IDS = {
  terminalResponse: 0x0001,
  heartbeat: 0x0002,
  logout: 0x0003,
  timeRequest: 0x0004,
  register: 0x0100,
  authenticate: 0x0102,
  parameters: 0x0104,
  location: 0x0200,
  locationReply: 0x0201,
  locationBatch: 0x0704,
  mediaEvent: 0x0800,
  mediaUpload: 0x0801,
  platformAck: 0x8001,
  resendRequest: 0x8003,
  timeReply: 0x8004,
  registerAck: 0x8100,
  setParameters: 0x8103,
  queryParameters: 0x8104,
  control: 0x8105,
  querySomeParameters: 0x8106,
  locationQuery: 0x8201,
  tracking: 0x8202,
  alarmConfirm: 0x8203,
  text: 0x8300,
  liveVideo: 0x9101,
} as const;
export type Jt808MessageName = keyof typeof JT808_MESSAGE_IDS;

/** id → name, derived so the two directions never disagree. */
export const JT808_MESSAGE_NAMES: ReadonlyMap<number, Jt808MessageName> = new Map(
  Object.entries(JT808_MESSAGE_IDS).map(([name, id]) => [id, name as Jt808MessageName]),
);

export const FRAME_MARKER = 0x7e;
export const ESCAPE_BYTE = 0x7d;
/** Body attribute word (§4.4.3, figure 2). */
export const BODY_LENGTH_MASK = 0x03ff;
export const ENCRYPTION_MASK = 0x1c00;
export const ENCRYPTION_SHIFT = 10;
export const SUBPACKAGE_FLAG = 0x2000;
export const VERSION_FLAG = 0x4000;
/** Id + attribute + serial, plus the BCD phone: 6 bytes in 2013, version byte + 10 in 2019. */
export const HEADER_LENGTH_2013 = 12;
export const HEADER_LENGTH_2019 = 17;
export const SUBPACKAGE_FIELDS_LENGTH = 4;
export const CHECK_LENGTH = 1;
export const MAX_BODY_LENGTH = BODY_LENGTH_MASK;
/** The largest unescaped content a frame can carry: 2019 header, subpackage fields, full body, check byte. */
export const MAX_CONTENT_LENGTH = HEADER_LENGTH_2019 + SUBPACKAGE_FIELDS_LENGTH + MAX_BODY_LENGTH + CHECK_LENGTH;

/** Default GMT+8: JT/T 808 BCD times are Beijing time (§4.4.1). */
export const DEFAULT_TIME_ZONE_OFFSET_MINUTES = 480;

export interface BitName {
  readonly bit: number;
  readonly name: string;
  /** The normalised alarm it becomes, when there is one. */
  readonly alarm?: Alarm;
}

/** 0x0200 alarm word (2013 table 24, 2019 table 25). Bits 20 and 21 become enter/exit from item 0x12. */
export const ALARM_BITS: readonly BitName[] = [
  { bit: 0, name: 'emergency', alarm: 'sos' },
  { bit: 1, name: 'overspeed', alarm: 'overspeed' },
  { bit: 2, name: 'fatigue', alarm: 'fatigue' },
  { bit: 3, name: 'dangerWarning', alarm: 'earlyWarning' },
  { bit: 4, name: 'gnssFault', alarm: 'gnssFault' },
  { bit: 5, name: 'gnssAntennaCut', alarm: 'gnssAntennaCut' },
  { bit: 6, name: 'gnssAntennaShort', alarm: 'gnssAntennaShort' },
  { bit: 7, name: 'mainPowerLow', alarm: 'lowExternalPower' },
  { bit: 8, name: 'mainPowerCut', alarm: 'powerCut' },
  { bit: 9, name: 'displayFault', alarm: 'hardwareFault' },
  { bit: 10, name: 'ttsFault', alarm: 'hardwareFault' },
  { bit: 11, name: 'cameraFault', alarm: 'cameraFault' },
  { bit: 12, name: 'icCardFault', alarm: 'hardwareFault' },
  { bit: 13, name: 'overspeedWarning', alarm: 'overspeedWarning' },
  { bit: 14, name: 'fatigueWarning', alarm: 'fatigueWarning' },
  { bit: 18, name: 'drivingTimeout', alarm: 'drivingTimeout' },
  { bit: 19, name: 'parkingTimeout', alarm: 'parkingTimeout' },
  { bit: 20, name: 'area' },
  { bit: 21, name: 'route' },
  { bit: 22, name: 'sectionDrivingTime', alarm: 'drivingTimeout' },
  { bit: 23, name: 'routeDeviation', alarm: 'routeDeviation' },
  { bit: 24, name: 'vssFault', alarm: 'hardwareFault' },
  { bit: 25, name: 'fuelAbnormal', alarm: 'fuelAbnormal' },
  { bit: 26, name: 'stolen', alarm: 'stolen' },
  { bit: 27, name: 'illegalIgnition', alarm: 'illegalIgnition' },
  { bit: 28, name: 'illegalMovement', alarm: 'illegalMovement' },
  { bit: 29, name: 'collision', alarm: 'collision' },
  { bit: 30, name: 'rollover', alarm: 'rollover' },
  { bit: 31, name: 'illegalDoorOpen', alarm: 'doorOpen' },
];

/** 0x0200 status word (2013 table 25, 2019 table 26); bits 0–3 also drive ignition, validity and signs. */
export const STATUS_BITS: readonly BitName[] = [
  { bit: 0, name: 'acc' },
  { bit: 1, name: 'located' },
  { bit: 2, name: 'south' },
  { bit: 3, name: 'west' },
  { bit: 4, name: 'outOfService' },
  { bit: 5, name: 'coordinatesEncrypted' },
  { bit: 6, name: 'emergencyBrakeWarning' },
  { bit: 7, name: 'laneDepartureWarning' },
  { bit: 10, name: 'oilCut' },
  { bit: 11, name: 'circuitCut' },
  { bit: 12, name: 'doorLocked' },
  { bit: 13, name: 'door1Open' },
  { bit: 14, name: 'door2Open' },
  { bit: 15, name: 'door3Open' },
  { bit: 16, name: 'door4Open' },
  { bit: 17, name: 'door5Open' },
  { bit: 18, name: 'gps' },
  { bit: 19, name: 'beidou' },
  { bit: 20, name: 'glonass' },
  { bit: 21, name: 'galileo' },
  { bit: 22, name: 'moving' },
];
export const STATUS_ACC = 1 << 0;
export const STATUS_LOCATED = 1 << 1;
export const STATUS_SOUTH = 1 << 2;
export const STATUS_WEST = 1 << 3;
/** Bits 8–9: 0 empty, 1 half loaded, 3 full (2 is reserved). */
export const STATUS_LOAD_SHIFT = 8;
export const LOAD_STATES = ['empty', 'half', 'reserved', 'full'] as const;

/** 0x8001 / 0x0001 result codes (§8.1, §8.2). */
export const RESULTS = { ok: 0, failure: 1, badMessage: 2, unsupported: 3, alarmConfirmed: 4 } as const;
/** 0x8100 result codes (§8.6). */
export const REGISTER_RESULTS = {
  ok: 0,
  vehicleRegistered: 1,
  vehicleUnknown: 2,
  terminalRegistered: 3,
  terminalUnknown: 4,
} as const;
