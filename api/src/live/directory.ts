import { findDeviceById, listDevices, type SqlClient } from '@urbanlink/db';
import { emitBusMessage, type BusMessage, type LiveFeed } from './feed.ts';

// A device added by another API process is found this long after its id was first seen missing, at most.
const MISSING_TTL_MS = 10_000;
const MAX_MISSING = 10_000;

export interface DirectoryEntry {
  uniqueId: string;
  unitId: number | null;
}

/**
 * Which unit each device belongs to, so the live hub can keep every client inside its unit subtree without
 * a query per position. Loaded once, kept current by the feed's device changes, and completed on demand
 * for devices it has not seen (added by another API process). Its uniqueIds decide which bus messages are
 * admitted to the feed: a device id must belong to the terminal named in the topic.
 */
export class DeviceDirectory {
  private readonly units = new Map<number, DirectoryEntry>();
  private readonly loading = new Map<number, Promise<void>>();
  /** Ids looked up and not found, until when: a stream of foreign messages must not become a query stream. */
  private readonly missing = new Map<number, number>();
  private readonly db: SqlClient;

  constructor(db: SqlClient, feed: LiveFeed) {
    this.db = db;
    feed.on('device', ({ deviceId, device }) => {
      if (device) {
        this.units.set(deviceId, { uniqueId: device.uniqueId, unitId: device.unitId });
        this.missing.delete(deviceId);
      } else this.units.delete(deviceId);
    });
  }

  async load(): Promise<void> {
    for (const device of await listDevices(this.db)) this.units.set(device.id, { uniqueId: device.uniqueId, unitId: device.unitId });
  }

  /** The device's uniqueId and unit; undefined while unknown, after which `resolve` looks it up. */
  get(deviceId: number): DirectoryEntry | undefined {
    return this.units.get(deviceId);
  }

  /**
   * Emits a bus message once its device id is known to belong to its uniqueId: at once for a known device,
   * after one lookup for a new one. Messages without a device id pass as they are.
   */
  admit(feed: LiveFeed, message: BusMessage): void {
    if (message.deviceId === undefined) return emitBusMessage(feed, message);
    // A known device (nearly every message) is checked at once, without a closure made for the lookup.
    if (this.units.has(message.deviceId)) return this.check(feed, message, message.deviceId);
    const deviceId = message.deviceId;
    this.resolve(deviceId).then(
      () => this.check(feed, message, deviceId),
      () => {
        feed.foreign += 1;
      },
    );
  }

  private check(feed: LiveFeed, message: BusMessage, deviceId: number): void {
    if (this.units.get(deviceId)?.uniqueId === message.uniqueId) emitBusMessage(feed, message);
    else feed.foreign += 1;
  }

  /** Looks an unknown device up once; resolves false when it does not exist. */
  async resolve(deviceId: number): Promise<boolean> {
    if (this.units.has(deviceId)) return true;
    if ((this.missing.get(deviceId) ?? 0) > Date.now()) return false;
    let pending = this.loading.get(deviceId);
    if (!pending) {
      pending = findDeviceById(this.db, deviceId)
        .then((device) => {
          if (device) {
            this.units.set(deviceId, { uniqueId: device.uniqueId, unitId: device.unitId });
            this.missing.delete(deviceId);
            return;
          }
          // Bounded: random ids must not grow this map for ever.
          if (this.missing.size >= MAX_MISSING) this.missing.clear();
          this.missing.set(deviceId, Date.now() + MISSING_TTL_MS);
        })
        .finally(() => this.loading.delete(deviceId));
      this.loading.set(deviceId, pending);
    }
    await pending;
    return this.units.has(deviceId);
  }
}
