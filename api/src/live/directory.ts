import { findDeviceById, listDevices, type SqlClient } from '@urbanlink/db';
import type { LiveFeed } from './feed.ts';

export interface DirectoryEntry {
  uniqueId: string;
  unitId: number | null;
}

/**
 * Which unit each device belongs to, so the live hub can keep every client inside its unit subtree without
 * a query per position. Loaded once, kept current by the feed's device changes, and completed on demand
 * for devices it has not seen (added by another API process). The uniqueId lets the hub drop bus messages
 * whose device id does not belong to that terminal here (another installation sharing the broker).
 */
export class DeviceDirectory {
  private readonly units = new Map<number, DirectoryEntry>();
  private readonly loading = new Map<number, Promise<void>>();
  private readonly db: SqlClient;

  constructor(db: SqlClient, feed: LiveFeed) {
    this.db = db;
    feed.on('device', ({ deviceId, device }) => {
      if (device) this.units.set(deviceId, { uniqueId: device.uniqueId, unitId: device.unitId });
      else this.units.delete(deviceId);
    });
  }

  async load(): Promise<void> {
    for (const device of await listDevices(this.db)) this.units.set(device.id, { uniqueId: device.uniqueId, unitId: device.unitId });
  }

  /** The device's uniqueId and unit; undefined while unknown, after which `resolve` looks it up. */
  get(deviceId: number): DirectoryEntry | undefined {
    return this.units.get(deviceId);
  }

  /** Looks an unknown device up once; resolves false when it does not exist. */
  async resolve(deviceId: number): Promise<boolean> {
    if (this.units.has(deviceId)) return true;
    let pending = this.loading.get(deviceId);
    if (!pending) {
      pending = findDeviceById(this.db, deviceId)
        .then((device) => {
          if (device) this.units.set(deviceId, { uniqueId: device.uniqueId, unitId: device.unitId });
        })
        .finally(() => this.loading.delete(deviceId));
      this.loading.set(deviceId, pending);
    }
    await pending;
    return this.units.has(deviceId);
  }
}
