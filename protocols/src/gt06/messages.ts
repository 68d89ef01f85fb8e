import type { Alarm, Position } from '../position.ts';

/** What every GT06 message carries. */
interface Gt06Base {
  readonly protocol: 'gt06';
  /** The protocol number, e.g. 0x12. */
  readonly type: number;
  readonly serial: number;
  /** True when only lenient mode accepted the frame (CRC mismatch or a known length quirk). */
  readonly lenient: boolean;
}

/** The terminal-information, voltage and signal bytes of heartbeats and alarm packets. */
export interface Gt06Status {
  readonly terminalInfo: number;
  /** 0 (no power) .. 6 (full). */
  readonly voltageLevel: number;
  /** 0 (no signal) .. 4 (strong). */
  readonly gsmSignal: number;
}

export interface Gt06Login extends Gt06Base {
  readonly name: 'login';
  readonly imei: string;
  readonly typeId: number | null;
  /** From the long login's time-zone word; absent in the short form. */
  readonly timeZoneOffsetMinutes?: number;
  /** The word's low bits (language on most models), kept so the frame can be rebuilt. */
  readonly timeZoneLowBits?: number;
}

export interface Gt06Heartbeat extends Gt06Base, Gt06Status {
  readonly name: 'heartbeat';
  readonly language: number;
}

export interface Gt06Location extends Gt06Base {
  readonly name: 'location';
  readonly position: Position;
}

export interface Gt06Alarm extends Gt06Base {
  readonly name: 'alarm';
  readonly alarmCode: number;
  readonly position: Position;
}

/** 0x19 carries a cell and an alarm but no fix: ingest pairs it with the last known position. */
export interface Gt06LbsAlarm extends Gt06Base {
  readonly name: 'lbsAlarm';
  readonly alarmCode: number;
  readonly alarms: Alarm[];
  readonly attributes: Record<string, unknown>;
}

export interface Gt06CommandReply extends Gt06Base {
  readonly name: 'commandReply';
  /** Echoes the flag of the 0x80 command this answers. */
  readonly serverFlag: number;
  readonly text: string;
  readonly encoding: 'ascii' | 'utf16be';
}

/** The server's 0x80 downlink, decoded for the simulator and for tests. */
export interface Gt06ServerCommand extends Gt06Base {
  readonly name: 'serverCommand';
  readonly serverFlag: number;
  readonly command: string;
}

export interface Gt06Information extends Gt06Base {
  readonly name: 'information';
  readonly subType: number;
  /** externalVoltageV, statusText, door, imei, imsi, iccid, or data (hex) for sub-types we do not parse. */
  readonly attributes: Record<string, unknown>;
}

export interface Gt06TimeRequest extends Gt06Base {
  readonly name: 'timeRequest';
}

/** The server's answer to 0x8A, decoded for the simulator: the UTC time it carries. */
export interface Gt06TimeResponse extends Gt06Base {
  readonly name: 'timeResponse';
  readonly timeMs: number;
}

export type Gt06Message =
  | Gt06Login
  | Gt06Heartbeat
  | Gt06Location
  | Gt06Alarm
  | Gt06LbsAlarm
  | Gt06CommandReply
  | Gt06ServerCommand
  | Gt06Information
  | Gt06TimeRequest
  | Gt06TimeResponse;

export type Gt06MessageName = Gt06Message['name'];
