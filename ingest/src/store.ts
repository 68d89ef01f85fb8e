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
}

export interface PositionRow {
  deviceId: number;
  position: Position;
}

export type DeviceStatus = 'online' | 'offline';

export interface DeviceStateRow {
  deviceId: number;
  status: DeviceStatus;
  lastSeenMs: number;
  /** The newest position seen since the last flush, if any. */
  position: Position | null;
}

export interface QueuedCommand {
  id: number;
  deviceId: number;
  type: string;
  /** Type-specific fields as the API stored them: { text }, { intervalS, validityS }, … */
  payload: Record<string, unknown>;
}

export interface IngestStore {
  findDevice(uniqueId: string): Promise<DeviceRecord | null>;
  /** Auto-registration (off by default): creates the device the terminal names. */
  createDevice(uniqueId: string, protocol: TerminalProtocol): Promise<DeviceRecord>;
  setAuthCode(deviceId: number, authCode: string): Promise<void>;
  /** One transaction; true where the row is new, false where it was already stored (a resend). */
  writePositions(rows: PositionRow[]): Promise<boolean[]>;
  /** One statement for many devices. */
  upsertDeviceStates(rows: DeviceStateRow[]): Promise<void>;
  listQueuedCommands(deviceId: number): Promise<QueuedCommand[]>;
  markCommandSent(commandId: number, correlation: string): Promise<void>;
  /** Finds the sent command with this correlation and records the terminal's reply; its id, or null. */
  acknowledgeCommand(deviceId: number, correlation: string, reply: Record<string, unknown>): Promise<number | null>;
}
