import type { Position } from '@urbanlink/protocols';
import type { DeviceStateRow, DeviceStatus } from './store.ts';

/**
 * Latest position and online/offline status per device, in memory. Changes are collected and written by
 * `flush` (every second from startIngest) as one statement for all changed devices, so a device reporting
 * ten times a second still costs one row update a second.
 */
export class DeviceStates {
  private readonly latest = new Map<number, DeviceStateRow>();
  private dirty = new Map<number, DeviceStateRow>();
  private readonly connections = new Map<number, number>();

  /** Returns true when the device was not online before (a status change to announce). */
  connected(deviceId: number, nowMs: number, via: { transport: 'tcp' | 'udp'; remote: string }): boolean {
    const count = (this.connections.get(deviceId) ?? 0) + 1;
    this.connections.set(deviceId, count);
    const row = this.row(deviceId, nowMs);
    row.transport = via.transport;
    row.remoteAddress = via.remote;
    return this.setStatus(deviceId, 'online', nowMs);
  }

  /** Returns true when this was the device's last connection (it is now offline). */
  disconnected(deviceId: number, nowMs: number): boolean {
    const count = (this.connections.get(deviceId) ?? 1) - 1;
    if (count > 0) {
      this.connections.set(deviceId, count);
      return false;
    }
    this.connections.delete(deviceId);
    return this.setStatus(deviceId, 'offline', nowMs);
  }

  /** A stored position: becomes the latest if it is newer than what is known. */
  stored(deviceId: number, position: Position, nowMs: number): void {
    const row = this.row(deviceId, nowMs);
    row.lastSeenMs = nowMs;
    if (!row.position || position.fixTimeMs >= row.position.fixTimeMs) row.position = position;
    this.dirty.set(deviceId, row);
  }

  /** A frame from a connected device (a heartbeat, too): its last_seen_at is written with the next flush. */
  seen(deviceId: number, nowMs: number): void {
    const row = this.latest.get(deviceId);
    if (!row) return;
    row.lastSeenMs = nowMs;
    this.dirty.set(deviceId, row);
  }

  latestPosition(deviceId: number): Position | null {
    return this.latest.get(deviceId)?.position ?? null;
  }

  /** The rows changed since the last call; the caller writes them. */
  takeChanges(): DeviceStateRow[] {
    if (this.dirty.size === 0) return [];
    const rows = [...this.dirty.values()].map((row) => ({ ...row }));
    this.dirty = new Map();
    return rows;
  }

  /** Puts rows back after a failed write, unless newer changes replaced them meanwhile. */
  restore(rows: DeviceStateRow[]): void {
    for (const row of rows) if (!this.dirty.has(row.deviceId)) this.dirty.set(row.deviceId, this.latest.get(row.deviceId) ?? row);
  }

  private setStatus(deviceId: number, status: DeviceStatus, nowMs: number): boolean {
    const row = this.row(deviceId, nowMs);
    const changed = row.status !== status;
    row.status = status;
    row.lastSeenMs = nowMs;
    this.dirty.set(deviceId, row);
    return changed;
  }

  private row(deviceId: number, nowMs: number): DeviceStateRow {
    let row = this.latest.get(deviceId);
    if (!row) {
      row = { deviceId, status: 'offline', lastSeenMs: nowMs, transport: null, remoteAddress: null, position: null };
      this.latest.set(deviceId, row);
    }
    return row;
  }
}
