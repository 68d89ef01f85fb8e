import {
  archiveRawFrames,
  findDeviceByUniqueId,
  insertDevice,
  latestPositions,
  listQueued,
  markAcknowledged,
  markFailed,
  markRefused,
  markSent,
  markStaleDevicesOffline,
  setAuthCode,
  upsertDeviceStates,
  writePositions,
  type LastFixes,
  type SqlClient,
} from '@urbanlink/db';
import type { DeviceRecord, IngestStore } from './store.ts';

function record(row: { id: number; uniqueId: string; authCode: string | null; timeZoneOffsetMinutes: number | null; lenient: boolean }): DeviceRecord {
  return { id: row.id, uniqueId: row.uniqueId, authCode: row.authCode, timeZoneOffsetMinutes: row.timeZoneOffsetMinutes, lenient: row.lenient };
}

/**
 * IngestStore over `@urbanlink/db`: PostgreSQL or PGlite, whichever the client is. It remembers each device's
 * newest stored fix, so a batch of fixes that follow it needs no look-up of previous fixes; while a terminal
 * stays connected, this process is its only writer, and the writer looks a device up again whenever it cannot
 * be sure: after a resend, and on every new connection (another process may have held the terminal).
 */
export function createSqlStore(client: SqlClient): IngestStore {
  const lastFixes: LastFixes = new Map();
  return {
    async findDevice(uniqueId) {
      const row = await findDeviceByUniqueId(client, uniqueId);
      return row ? record(row) : null;
    },
    async createDevice(uniqueId, protocol) {
      // Two terminals racing with the same id: the loser reads the winner's row.
      const row = (await insertDevice(client, { uniqueId, name: uniqueId, protocol })) ?? (await findDeviceByUniqueId(client, uniqueId));
      if (!row) throw new Error(`device ${uniqueId} could not be created`);
      return record(row);
    },
    async setAuthCode(deviceId, authCode) {
      await setAuthCode(client, deviceId, authCode);
    },
    async writePositions(rows) {
      return (await writePositions(client, rows, { lastFixes })).inserted;
    },
    deviceConnected(deviceId) {
      // Its next batch looks its previous fix up again.
      lastFixes.delete(deviceId);
    },
    async upsertDeviceStates(rows) {
      await upsertDeviceStates(
        client,
        rows.map((row) => ({
          deviceId: row.deviceId,
          online: row.status === 'online',
          lastSeenMs: row.lastSeenMs,
          position: row.position,
          transport: row.transport,
          remoteAddress: row.remoteAddress,
        })),
      );
    },
    async latestPosition(deviceId) {
      const [stored] = await latestPositions(client, [deviceId]);
      if (!stored) return null;
      const { deviceId: _id, ...position } = stored;
      return position;
    },
    markStaleDevicesOffline(seenBeforeMs) {
      return markStaleDevicesOffline(client, seenBeforeMs);
    },
    async listQueuedCommands(deviceId) {
      const rows = await listQueued(client, deviceId);
      return rows.map((row) => ({ id: row.id, deviceId: row.deviceId, type: row.type, params: row.params }));
    },
    async markCommandSent(commandId, correlation) {
      return (await markSent(client, commandId, correlation, Date.now())) !== null;
    },
    async acknowledgeCommand(deviceId, correlation, reply) {
      return (await markAcknowledged(client, deviceId, correlation, reply, Date.now()))?.id ?? null;
    },
    async refuseCommand(deviceId, correlation, reply, error) {
      return (await markRefused(client, deviceId, correlation, reply, error, Date.now()))?.id ?? null;
    },
    async markCommandFailed(commandId, error) {
      await markFailed(client, commandId, error, Date.now());
    },
    async archiveRawFrames(rows) {
      await archiveRawFrames(client, rows);
    },
  };
}
