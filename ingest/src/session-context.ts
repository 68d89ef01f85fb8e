import type { Logger } from 'pino';
import type { Position } from '@urbanlink/protocols';
import type { DeviceDirectory } from './devices.ts';
import type { IngestMetrics } from './metrics.ts';
import type { RawArchive } from './raw-archive.ts';
import type { DeviceRecord, QueuedCommand } from './store.ts';
import type { Link } from './transport/link.ts';

/** A command encoded for one terminal: the frame and what the terminal will echo in its reply. */
export type EncodedCommand = { correlation: number; frame: Buffer } | { error: string };

/** What the command center needs from a session that has a device behind it. */
export interface CommandTarget {
  readonly device: DeviceRecord | null;
  readonly link: Link;
  encodeCommand(command: QueuedCommand): EncodedCommand;
}

export interface SessionOptions {
  /** JT/T 808 terminals report local time; GMT+8 unless the device row says otherwise. */
  jt808TimeZoneOffsetMinutes: number;
  /** Decode known frame quirks for every device, not only those marked lenient. */
  lenient: boolean;
  /** JT/T 808 subpackages: silence after a message's latest packet before its missing ones are asked for (0x8003) … */
  subpackageTimeoutMs: number;
  /** … and how many times they are asked for before the partial message is dropped. */
  subpackageMaxAsks: number;
}

/** The session options with their defaults filled in. */
export function sessionOptions(given: Partial<SessionOptions> = {}): SessionOptions {
  return {
    jt808TimeZoneOffsetMinutes: given.jt808TimeZoneOffsetMinutes ?? 480,
    lenient: given.lenient ?? false,
    // The standard leaves the timeout to the platform; 30 s outlasts a terminal's own resend interval.
    subpackageTimeoutMs: given.subpackageTimeoutMs ?? 30_000,
    subpackageMaxAsks: given.subpackageMaxAsks ?? 3,
  };
}

/**
 * Everything a protocol session reaches outside itself. Sessions decode, decide and answer; storing,
 * publishing and command delivery happen behind this interface.
 */
export interface SessionContext {
  readonly metrics: IngestMetrics;
  readonly log: Logger;
  readonly devices: DeviceDirectory;
  readonly options: SessionOptions;
  /** Set when RAW_FRAMES_ARCHIVE is on: every frame in and out is kept. */
  readonly archive: RawArchive | null;
  /** Calls `stored(true)` once every position is committed, `stored(false)` when a write failed (send no ack then). */
  storePositions(device: DeviceRecord, positions: Position[], stored: (ok: boolean) => void): void;
  /** The session is now this device's: status online, and its queued commands are sent. */
  attach(session: CommandTarget): void;
  detach(session: CommandTarget): void;
  /** A frame arrived from this session's device: it is alive (last_seen_at), whatever the frame carried. */
  seen(device: DeviceRecord): void;
  /** The terminal answered a command carrying `correlation`; `refusal` says why when it refused it. */
  commandReply(device: DeviceRecord, correlation: number, reply: string | null, refusal?: string | null): void;
  /**
   * The device's last known position, for alarms without a fix (GT06 0x19): this process's latest, else the
   * one recorded in the database (another process, or before a restart); null when it never had one.
   */
  lastPosition(device: DeviceRecord): Promise<Position | null>;
}
