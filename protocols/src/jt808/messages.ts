import type { Position } from '../position.ts';
import type { RegisterEdition } from './layouts.ts';

/** The 2013 header (BCD[6] phone) serves 2011 and 2013 terminals; the 2019 header adds a version byte. */
export type Jt808HeaderVersion = 2013 | 2019;

export interface Jt808Header {
  readonly id: number;
  readonly bodyLength: number;
  /** Bits 10–12 of the body attribute: 0 plain, 1 RSA. */
  readonly encryption: number;
  readonly version: Jt808HeaderVersion;
  /** The 2019 header's protocol version byte (1 for 2019); 0 under a 2013 header. */
  readonly protocolVersion: number;
  /** BCD digits as sent, leading zeros kept (12 or 20 digits). */
  readonly phone: string;
  /** The phone without leading zeros: CONTRACT's device uniqueId. */
  readonly uniqueId: string;
  readonly serial: number;
  readonly subpackage: { readonly total: number; readonly index: number } | null;
}

/** Who a frame is addressed to or from: a header satisfies it, so replies follow the terminal's version. */
export interface Jt808Target {
  readonly phone: string;
  readonly version: Jt808HeaderVersion;
  readonly protocolVersion?: number;
  /** For BCD times written by terminal-side encoders; default +480 (GMT+8). */
  readonly timeZoneOffsetMinutes?: number;
}

interface Base<T extends number, N extends string> {
  readonly protocol: 'jt808';
  readonly type: T;
  readonly name: N;
  readonly header: Jt808Header;
}

export interface Jt808Parameter {
  readonly id: number;
  /** Numbers for BYTE/WORD/DWORD parameters, text for STRING ones, raw bytes otherwise. */
  readonly value: number | string | Buffer;
}

export interface Jt808TerminalResponse extends Base<0x0001, 'terminalResponse'> {
  readonly ackSerial: number;
  readonly ackId: number;
  readonly result: number;
}
export type Jt808Heartbeat = Base<0x0002, 'heartbeat'>;
export type Jt808Logout = Base<0x0003, 'logout'>;
export type Jt808TimeRequest = Base<0x0004, 'timeRequest'>;
export interface Jt808Register extends Base<0x0100, 'register'> {
  readonly provinceId: number;
  readonly cityId: number;
  readonly manufacturerId: string;
  readonly terminalModel: string;
  readonly terminalId: string;
  readonly plateColor: number;
  readonly plate: string;
  /** Which edition's field widths the body used (2011 and 2013 share a header, not a body). */
  readonly edition: RegisterEdition;
}
export interface Jt808Authenticate extends Base<0x0102, 'authenticate'> {
  readonly authCode: string;
  readonly imei: string | null;
  readonly softwareVersion: string | null;
}
export interface Jt808Parameters extends Base<0x0104, 'parameters'> {
  readonly ackSerial: number;
  readonly params: readonly Jt808Parameter[];
}
export interface Jt808Location extends Base<0x0200, 'location'> {
  readonly position: Position;
}
export interface Jt808LocationReply extends Base<0x0201, 'locationReply'> {
  readonly ackSerial: number;
  readonly position: Position;
}
export interface Jt808LocationBatch extends Base<0x0704, 'locationBatch'> {
  /** 0 regular batch, 1 blind-area (stored while out of coverage) resend. */
  readonly batchType: number;
  readonly positions: Position[];
}
export interface Jt808MediaFields {
  readonly mediaId: number;
  /** 0 image, 1 audio, 2 video. */
  readonly mediaType: number;
  /** 0 JPEG, 1 TIF, 2 MP3, 3 WAV, 4 WMV. */
  readonly format: number;
  readonly event: number;
  readonly channel: number;
}
export interface Jt808MediaEvent extends Base<0x0800, 'mediaEvent'>, Jt808MediaFields {}
export interface Jt808MediaUpload extends Base<0x0801, 'mediaUpload'>, Jt808MediaFields {
  readonly position: Position;
  readonly data: Buffer;
}
export interface Jt808PlatformAck extends Base<0x8001, 'platformAck'> {
  readonly ackSerial: number;
  readonly ackId: number;
  readonly result: number;
}
export interface Jt808ResendRequest extends Base<0x8003, 'resendRequest'> {
  readonly originalSerial: number;
  readonly packets: number[];
}
export interface Jt808TimeReply extends Base<0x8004, 'timeReply'> {
  readonly timeMs: number;
}
export interface Jt808RegisterAck extends Base<0x8100, 'registerAck'> {
  readonly ackSerial: number;
  readonly result: number;
  readonly authCode: string;
}
export interface Jt808SetParameters extends Base<0x8103, 'setParameters'> {
  readonly params: readonly Jt808Parameter[];
}
export type Jt808QueryParameters = Base<0x8104, 'queryParameters'>;
export interface Jt808Control extends Base<0x8105, 'control'> {
  readonly command: number;
  readonly params: string;
}
export interface Jt808QuerySomeParameters extends Base<0x8106, 'querySomeParameters'> {
  readonly ids: number[];
}
export type Jt808LocationQuery = Base<0x8201, 'locationQuery'>;
export interface Jt808Tracking extends Base<0x8202, 'tracking'> {
  readonly intervalS: number;
  readonly validityS: number;
}
export interface Jt808AlarmConfirm extends Base<0x8203, 'alarmConfirm'> {
  readonly ackSerial: number;
  readonly alarmMask: number;
}
export interface Jt808Text extends Base<0x8300, 'text'> {
  readonly flag: number;
  /** 2019 only (1 notice, 2 service); null under a 2013 header. */
  readonly textType: number | null;
  readonly text: string;
}
export interface Jt808LiveVideo extends Base<0x9101, 'liveVideo'> {
  readonly ip: string;
  readonly tcpPort: number;
  readonly udpPort: number;
  readonly channel: number;
  readonly dataType: number;
  readonly stream: number;
}
/** One subpackage of a larger message: hand it to Jt808Reassembler. The body is a copy. */
export interface Jt808Fragment extends Base<number, 'fragment'> {
  readonly body: Buffer;
}
/** A well-formed frame with an id we do not decode; ingest answers it 0x8001 result 3 (unsupported). */
export interface Jt808Unknown extends Base<number, 'unknown'> {
  readonly body: Buffer;
}

export type Jt808Message =
  | Jt808TerminalResponse
  | Jt808Heartbeat
  | Jt808Logout
  | Jt808TimeRequest
  | Jt808Register
  | Jt808Authenticate
  | Jt808Parameters
  | Jt808Location
  | Jt808LocationReply
  | Jt808LocationBatch
  | Jt808MediaEvent
  | Jt808MediaUpload
  | Jt808PlatformAck
  | Jt808ResendRequest
  | Jt808TimeReply
  | Jt808RegisterAck
  | Jt808SetParameters
  | Jt808QueryParameters
  | Jt808Control
  | Jt808QuerySomeParameters
  | Jt808LocationQuery
  | Jt808Tracking
  | Jt808AlarmConfirm
  | Jt808Text
  | Jt808LiveVideo
  | Jt808Fragment
  | Jt808Unknown;

export interface Jt808DecodeContext {
  /** Offset of the terminals' BCD clock from UTC; default +480 (GMT+8). */
  timeZoneOffsetMinutes?: number;
  /** Accept a body length that disagrees with the bytes present, and dates that do not exist. */
  lenient?: boolean;
}
