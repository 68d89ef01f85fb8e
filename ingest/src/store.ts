import type { Position } from '@urbanlink/protocols';

/**
 * What ingest needs from the database, as one narrow interface. `createSqlStore` (sql-store.ts) implements
 * it over `@urbanlink/db`; ingest never sees SQL.
 */
export type TerminalProtocol = 'gt06' | 'jt808';

export interface DeviceRecord {
  id: number;
  uniqueId: string;
  /** The JT/T 808 authentication code issued at registration, if any. */
  authCode: string | null;
  /** For terminals that report local time; null means the protocol's own rule. */
  timeZoneOffsetMinutes: number | null;
  /** Accept frames with known quirks (bad CRC, short length byte). */
  lenient: boolean;
}

export interface PositionRow {
  deviceId: number;
  position: Position;
  /** JSON.stringify(position.attributes), when the caller made it already. */
  attributesJson?: string;
}

export type DeviceStatus = 'online' | 'offline';

export interface DeviceStateRow {
  deviceId: number;
  status: DeviceStatus;
  lastSeenMs: number;
  transport: 'tcp' | 'udp' | null;
  remoteAddress: string | null;
  /** The newest position seen since the last flush, if any. */
  position: Position | null;
}

export interface QueuedCommand {
  id: number;
  deviceId: number;
  type: string;
  /** Type-specific fields as the API stored them: { text }, { intervalS, validityS }, … */
  params: Record<string, unknown>;
}

export interface RawFrameRow {
  receivedAtMs: number;
  deviceId: number | null;
  protocol: TerminalProtocol;
  direction: 'in' | 'out';
  remoteAddress: string | null;
  frame: Uint8Array;
}

export interface IngestStore {
  findDevice(uniqueId: string): Promise<DeviceRecord | null>;
  /** Auto-registration (off by default): creates the device the terminal names. */
  createDevice(uniqueId: string, protocol: TerminalProtocol): Promise<DeviceRecord>;
  setAuthCode(deviceId: number, authCode: string): Promise<void>;
  /** One transaction; true where the row is new, false where it was already stored (a resend). */
  writePositions(rows: PositionRow[]): Promise<boolean[]>;
  /**
   * A device's terminal has connected here: what this process remembers of the device's stored fixes may be
   * out of date, since another ingest process may have held the terminal meanwhile.
   */
  deviceConnected(deviceId: number): void;
  /** One statement for many devices. */
  upsertDeviceStates(rows: DeviceStateRow[]): Promise<void>;
  /** The device's newest fix as recorded in its state (written about once a second), or null. */
  latestPosition(deviceId: number): Promise<Position | null>;
  /** Devices still recorded online but silent since before `seenBeforeMs` become offline; returns them. */
  markStaleDevicesOffline(seenBeforeMs: number): Promise<{ deviceId: number; uniqueId: string }[]>;
  listQueuedCommands(deviceId: number): Promise<QueuedCommand[]>;
  /** Queued → sent with the correlation written on the wire; false when it was no longer queued. */
  markCommandSent(commandId: number, correlation: number): Promise<boolean>;
  /** The sent command with this correlation becomes acknowledged with the reply; its id, or null. */
  acknowledgeCommand(deviceId: number, correlation: number, reply: string | null): Promise<number | null>;
  /** The sent command with this correlation becomes failed: the terminal refused it. Its id, or null. */
  refuseCommand(deviceId: number, correlation: number, reply: string | null, error: string): Promise<number | null>;
  markCommandFailed(commandId: number, error: string): Promise<void>;
  /** The optional raw frame archive, in one statement. */
  archiveRawFrames(rows: RawFrameRow[]): Promise<void>;
}
