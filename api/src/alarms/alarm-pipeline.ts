import {
  applyGeofencePresence,
  findDeviceById,
  insertDetectedAlarms,
  listDevices,
  listGeofencePresence,
  listGeofences,
  listUnits,
  listUnresolvedAlarmKeys,
  type AlarmRecord,
  type DeviceRecord,
  type SqlClient,
} from '@urbanlink/db';
import type { LivePosition } from '../live/feed.ts';
import { FenceIndex } from '../geofence/fence-index.ts';
import { AlarmDetector, alarmKey, type DetectedAlarm, type DetectorDevice, type DetectorFence } from './detector.ts';
import { speedLimitOf } from './speed-limit.ts';
import { UnitTree } from './unit-tree.ts';

/** A device's own speed limit is the `speedLimitKmh` operators set per vehicle through the devices API. */
function detectorDevice(device: DeviceRecord): DetectorDevice {
  return { deviceId: device.id, unitId: device.unitId, speedLimitKmh: speedLimitOf(device.attributes) };
}

/**
 * Alarm detection on the live position stream. It runs in every API process that consumes the MQTT
 * positions, so it works wherever ingest runs; when several API processes run, each detects the same
 * transitions from the same fixes, and the database keeps exactly one (alarms_detection_key: device, source,
 * kind, fence, fix time). Only the process whose insert won publishes the alarm. Fence presence is stored
 * too, so a restarted process resumes from what the vehicles were inside. Positions are handled in
 * arrival order, in batches: one transaction per batch, whatever its size.
 */
export class AlarmPipeline {
  readonly #db: SqlClient;
  readonly #publish: (alarm: AlarmRecord) => Promise<void>;
  readonly #onError: (error: unknown) => void;
  readonly #fences = new FenceIndex<DetectorFence>();
  readonly #units = new UnitTree();
  readonly #devices = new Map<number, DetectorDevice>();
  readonly #detector: AlarmDetector<DetectorFence>;
  #queue: LivePosition[] = [];
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;

  constructor(db: SqlClient, publish: (alarm: AlarmRecord) => Promise<void>, onError: (error: unknown) => void) {
    this.#db = db;
    this.#publish = publish;
    this.#onError = onError;
    this.#detector = new AlarmDetector(this.#fences, (fence, device) =>
      fence.unitId === null || (device.unitId !== null && this.#units.isWithin(device.unitId, fence.unitId)),
    );
  }

  async load(): Promise<void> {
    await this.reload();
    const inside = new Map<number, number[]>();
    for (const { deviceId, geofenceId } of await listGeofencePresence(this.#db)) {
      inside.set(deviceId, [...(inside.get(deviceId) ?? []), geofenceId]);
    }
    const raised = new Map<number, string[]>();
    for (const { deviceId, source, kind, geofenceId } of await listUnresolvedAlarmKeys(this.#db)) {
      raised.set(deviceId, [...(raised.get(deviceId) ?? []), alarmKey(source, kind, geofenceId)]);
    }
    for (const deviceId of new Set([...inside.keys(), ...raised.keys()])) {
      this.#detector.remember(deviceId, { insideFenceIds: inside.get(deviceId) ?? [], raisedKeys: raised.get(deviceId) ?? [] });
    }
  }

  /** Re-reads fences, units and devices: periodically, for edits made through other API processes. */
  async reload(): Promise<void> {
    const [devices] = await Promise.all([listDevices(this.#db), this.reloadFences()]);
    this.#devices.clear();
    for (const device of devices) this.#devices.set(device.id, detectorDevice(device));
  }

  /** Re-reads fences and the unit tree, after a fence is edited here. */
  async reloadFences(): Promise<void> {
    const [fences, units] = await Promise.all([listGeofences(this.#db), listUnits(this.#db)]);
    this.#fences.replace(fences.map(({ id, unitId, speedLimitKmh, shape }) => ({ id, unitId, speedLimitKmh, shape })));
    this.#detector.keepOnlyFences(new Set(fences.map((f) => f.id)));
    this.#units.replace(units);
  }

  updateDevice(deviceId: number, device: DeviceRecord | null): void {
    if (device) this.#devices.set(deviceId, detectorDevice(device));
    else this.#devices.delete(deviceId);
  }

  enqueue(position: LivePosition): void {
    this.#queue.push(position);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#chain = this.#chain.then(() => this.#drain());
  }

  /** Resolves once every position enqueued so far has been handled. */
  idle(): Promise<void> {
    return this.#chain;
  }

  async #drain(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    try {
      const detected: DetectedAlarm[] = [];
      // The last transition of each (device, fence) in the batch decides what the presence table holds.
      const presence = new Map<string, DetectedAlarm>();
      for (const live of batch) {
        // Known devices are answered from memory: no await, so a batch does not take a microtask per position.
        const device = this.#devices.get(live.deviceId) ?? (await this.#device(live.deviceId));
        if (!device) continue;
        const events = this.#detector.detect(device, live);
        for (const event of events) {
          if (event.source === 'geofence') presence.set(`${event.deviceId}:${event.geofenceId}`, event);
          detected.push(event);
        }
      }
      const transitions = [...presence.values()].map((e) => ({ deviceId: e.deviceId, geofenceId: e.geofenceId!, sinceMs: e.occurredAtMs, enter: e.kind === 'geofenceEnter' }));
      const enters = transitions.filter((t) => t.enter);
      const exits = transitions.filter((t) => !t.enter);
      if (detected.length === 0) return;
      const inserted = await this.#db.transaction(async (tx) => {
        await applyGeofencePresence(tx, { enters, exits });
        return insertDetectedAlarms(tx, detected);
      });
      for (const alarm of inserted) await this.#publish(alarm);
    } catch (error) {
      this.#onError(error);
    }
  }

  async #device(deviceId: number): Promise<DetectorDevice | null> {
    const known = this.#devices.get(deviceId);
    if (known) return known;
    const device = await findDeviceById(this.#db, deviceId);
    if (!device) return null;
    const entry = detectorDevice(device);
    this.#devices.set(deviceId, entry);
    return entry;
  }
}
