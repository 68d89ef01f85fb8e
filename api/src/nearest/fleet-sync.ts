import { findDeviceById, latestPositions, listDevicesAfter, type DeviceRecord, type SqlClient } from '@urbanlink/db';
import type { LiveFeed, LivePosition } from '../live/feed.ts';
import type { NearestVehicles } from './nearest-vehicles.ts';

function vehicleOf(device: DeviceRecord) {
  return {
    deviceId: device.id,
    uniqueId: device.uniqueId,
    name: device.name,
    plate: device.plate,
    unitId: device.unitId,
    dispatchStatus: device.dispatchStatus,
  };
}

/**
 * Keeps a NearestVehicles index current: seeded from the devices and their latest fixes, then moved by every
 * live position and device edit. A device first heard of on the bus (created through another API process)
 * is looked up once; a periodic resync picks up dispatch-status changes made through other processes.
 */
export class FleetSync {
  readonly #db: SqlClient;
  readonly #index: NearestVehicles;
  readonly #pending = new Map<number, Promise<void>>();
  /** Devices read per query when the fleet is loaded or re-read. */
  readonly #pageSize: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(db: SqlClient, index: NearestVehicles, options: { pageSize?: number } = {}) {
    this.#db = db;
    this.#index = index;
    this.#pageSize = options.pageSize ?? 2_000;
  }

  async load(): Promise<void> {
    const known = await this.#upsertFleet();
    for (const position of await latestPositions(this.#db)) {
      if (!known.has(position.deviceId)) continue;
      const { fixTimeMs, lat, lon, speedKmh, course, valid } = position;
      this.#index.updatePosition(position.deviceId, { fixTimeMs, lat, lon, speedKmh, course, valid });
    }
  }

  listen(feed: LiveFeed, resyncMs: number): void {
    feed.on('position', (position) => this.#onPosition(position));
    feed.on('device', ({ deviceId, device }) => {
      if (device) this.#index.upsertVehicle(vehicleOf(device));
      else this.#index.removeVehicle(deviceId);
    });
    this.#timer = setInterval(() => void this.#resync(), resyncMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #onPosition(live: LivePosition): void {
    // A known device's fix is applied or refused (stale, invalid) by the index itself, which copies what it keeps.
    if (this.#index.updatePosition(live.deviceId, live) || this.#index.has(live.deviceId)) return;
    if (this.#pending.has(live.deviceId)) return;
    const lookup = findDeviceById(this.#db, live.deviceId)
      .then((device) => {
        if (!device) return;
        this.#index.upsertVehicle(vehicleOf(device));
        this.#index.updatePosition(device.id, live);
      })
      .catch(() => {})
      .finally(() => this.#pending.delete(live.deviceId));
    this.#pending.set(live.deviceId, lookup);
  }

  async #resync(): Promise<void> {
    try {
      const present = await this.#upsertFleet();
      for (const id of this.#index.deviceIds()) if (!present.has(id)) this.#index.removeVehicle(id);
    } catch {
      // The database is away for a moment; the next resync catches up.
    }
  }

  /**
   * Every device into the index, read in pages, so that a fleet of 100 000 is read in many short steps with
   * requests served between them, not one parse of every row that holds the server for half a second.
   * Returns the ids read.
   */
  async #upsertFleet(): Promise<Set<number>> {
    const present = new Set<number>();
    let afterId = 0;
    for (;;) {
      const page = await listDevicesAfter(this.#db, afterId, this.#pageSize);
      for (const device of page) {
        present.add(device.id);
        this.#index.upsertVehicle(vehicleOf(device));
      }
      if (page.length < this.#pageSize) return present;
      afterId = page[page.length - 1]!.id;
    }
  }
}
