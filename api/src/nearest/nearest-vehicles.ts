import { haversineMeters } from '../track/geodesy.ts';
import { MovingPointGrid } from './moving-grid.ts';
import { osrmTravelTimes, type OsrmOptions } from './osrm-table.ts';
import { STATUS_CODES, VehicleSlots } from './vehicle-slots.ts';

export type DispatchStatus = 'standby' | 'on_task' | 'unavailable';

/** A vehicle's device record, as far as dispatch needs it. */
export interface VehicleRecord {
  deviceId: number;
  uniqueId: string;
  name: string;
  plate: string | null;
  unitId: number | null;
  dispatchStatus: DispatchStatus;
}

/** What the index knows of one vehicle: its device record's dispatch fields and its latest fix. */
export interface Vehicle extends VehicleRecord {
  position: VehiclePosition | null;
}

export interface VehiclePosition {
  fixTimeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
  valid: boolean;
}

export interface NearestQuery {
  lat: number;
  lon: number;
  limit: number;
  /** Dispatch statuses to include; standby only by default. */
  statuses?: readonly DispatchStatus[];
  /** Unit ids allowed (the caller's subtree, or a chosen one); null or absent for all. */
  unitIds?: ReadonlySet<number> | null;
  /** Only fixes newer than this; the index's freshness setting by default; 0 for any age. */
  maxAgeSeconds?: number;
  maxDistanceMeters?: number;
}

export type RankMethod = 'greatCircle' | 'osrm';

export interface NearestVehicle {
  deviceId: number;
  uniqueId: string;
  name: string;
  plate: string | null;
  unitId: number | null;
  dispatchStatus: DispatchStatus;
  distanceMeters: number;
  etaSeconds: number;
  /** Road distance from OSRM when it ranked the answer. */
  roadDistanceMeters: number | null;
  method: RankMethod;
  position: VehiclePosition;
}

export interface NearestSettings {
  /** A fix older than this is not fresh: the vehicle's whereabouts are unknown. */
  freshSeconds: number;
  /** Speed used for the great-circle ETA. */
  etaSpeedKmh: number;
  /** How many great-circle candidates OSRM re-ranks (it may reorder them, never add to them). */
  osrmCandidates: number;
  osrm: OsrmOptions | null;
  cellDegrees: number;
  now: () => number;
}

export const DEFAULT_NEAREST_SETTINGS: NearestSettings = {
  freshSeconds: 300,
  etaSpeedKmh: 30,
  osrmCandidates: 20,
  osrm: null,
  cellDegrees: 0.01,
  now: Date.now,
};

const STANDBY: readonly DispatchStatus[] = ['standby'];

/**
 * The dispatchers' nearest-vehicle answer, from memory: every vehicle's latest fix in a moving-point grid,
 * with its dispatch status and unit beside it, kept current by the live position stream and by device
 * changes. Filters (status, unit subtree, freshness) run inside the grid walk, so a busy fleet does not
 * need a bigger candidate list. With OSRM configured, the best great-circle candidates are re-ranked by
 * road travel time; if OSRM fails the great-circle answer stands, and `method` says which one it is.
 */
export class NearestVehicles {
  readonly settings: NearestSettings;
  // Points are placed by slot (vehicle-slots.ts), not device id, so the query's filter reads typed arrays;
  // the latest fix lives in the slot's columns too.
  readonly #grid: MovingPointGrid;
  readonly #vehicles = new Map<number, VehicleRecord>();
  readonly #slots = new VehicleSlots();
  readonly #bySlot: (VehicleRecord | undefined)[] = [];

  constructor(settings: Partial<NearestSettings> = {}) {
    this.settings = { ...DEFAULT_NEAREST_SETTINGS, ...settings };
    this.#grid = new MovingPointGrid(this.settings.cellDegrees);
  }

  get size(): number {
    return this.#vehicles.size;
  }

  has(deviceId: number): boolean {
    return this.#vehicles.has(deviceId);
  }

  get(deviceId: number): Vehicle | undefined {
    const record = this.#vehicles.get(deviceId);
    if (!record) return undefined;
    return { ...record, position: this.#position(this.#slots.slotOf(deviceId)!) };
  }

  deviceIds(): number[] {
    return [...this.#vehicles.keys()];
  }

  /** Adds a device or updates its record; a position given here replaces the known one only if newer. */
  upsertVehicle(vehicle: VehicleRecord & { position?: VehiclePosition | null }): void {
    const { deviceId, uniqueId, name, plate, unitId, dispatchStatus } = vehicle;
    const record: VehicleRecord = { deviceId, uniqueId, name, plate, unitId, dispatchStatus };
    this.#vehicles.set(deviceId, record);
    const slot = this.#slots.claim(deviceId);
    this.#bySlot[slot] = record;
    this.#slots.setRecord(slot, STATUS_CODES[dispatchStatus], unitId);
    if (vehicle.position) this.updatePosition(deviceId, vehicle.position);
  }

  /**
   * A new fix from the live stream; older or invalid fixes, and unknown devices, are ignored. The fix is
   * copied into the index's columns, so the caller's object dies young.
   */
  updatePosition(deviceId: number, position: VehiclePosition): boolean {
    const slot = this.#slots.slotOf(deviceId);
    if (slot === undefined || !position.valid) return false;
    const slots = this.#slots;
    if (slots.fixTimeMs[slot]! >= position.fixTimeMs) return false;
    slots.fixTimeMs[slot] = position.fixTimeMs;
    slots.lat[slot] = position.lat;
    slots.lon[slot] = position.lon;
    slots.speedKmh[slot] = position.speedKmh;
    slots.course[slot] = position.course;
    this.#grid.set(slot, position.lat, position.lon);
    return true;
  }

  setDispatchStatus(deviceId: number, status: DispatchStatus): void {
    const record = this.#vehicles.get(deviceId);
    if (!record) return;
    record.dispatchStatus = status;
    this.#slots.status[this.#slots.slotOf(deviceId)!] = STATUS_CODES[status];
  }

  removeVehicle(deviceId: number): void {
    this.#vehicles.delete(deviceId);
    const slot = this.#slots.release(deviceId);
    if (slot === undefined) return;
    this.#bySlot[slot] = undefined;
    this.#grid.delete(slot);
  }

  /** The great-circle answer only: what the index itself costs, without OSRM. */
  nearestByDistance(query: NearestQuery): NearestVehicle[] {
    const statuses = query.statuses ?? STANDBY;
    const maxAge = query.maxAgeSeconds ?? this.settings.freshSeconds;
    const oldest = maxAge > 0 ? this.settings.now() - maxAge * 1000 : -Infinity;
    const units = query.unitIds ?? null;
    let statusMask = 0;
    for (const status of statuses) statusMask |= 1 << STATUS_CODES[status];
    const slots = this.#slots;
    const fixTimes = slots.fixTimeMs;
    const codes = slots.status;
    const accept = (slot: number): boolean =>
      fixTimes[slot]! >= oldest && ((statusMask >> codes[slot]!) & 1) === 1 && (units === null || slots.inUnits(slot, units));
    const found = this.#grid.nearest(query.lat, query.lon, query.limit, accept, query.maxDistanceMeters);
    const metresPerSecond = this.settings.etaSpeedKmh / 3.6;
    return found.map(({ id: slot }) => {
      const vehicle = this.#bySlot[slot]!;
      const position = this.#position(slot)!;
      const distanceMeters = Math.round(haversineMeters(query.lat, query.lon, position.lat, position.lon));
      return {
        deviceId: vehicle.deviceId,
        uniqueId: vehicle.uniqueId,
        name: vehicle.name,
        plate: vehicle.plate,
        unitId: vehicle.unitId,
        dispatchStatus: vehicle.dispatchStatus,
        distanceMeters,
        etaSeconds: Math.round(distanceMeters / metresPerSecond),
        roadDistanceMeters: null,
        method: 'greatCircle',
        position,
      };
    });
  }

  /** The slot's latest fix as a new object, or null before its first. Only valid fixes are kept. */
  #position(slot: number): VehiclePosition | null {
    const slots = this.#slots;
    const fixTimeMs = slots.fixTimeMs[slot]!;
    if (fixTimeMs === -Infinity) return null;
    return { fixTimeMs, lat: slots.lat[slot]!, lon: slots.lon[slot]!, speedKmh: slots.speedKmh[slot]!, course: slots.course[slot]!, valid: true };
  }

  async nearest(query: NearestQuery): Promise<NearestVehicle[]> {
    const osrm = this.settings.osrm;
    if (!osrm) return this.nearestByDistance(query);
    const candidates = this.nearestByDistance({ ...query, limit: Math.max(query.limit, this.settings.osrmCandidates) });
    let costs;
    try {
      costs = await osrmTravelTimes(osrm, candidates.map((c) => c.position), query);
    } catch {
      return candidates.slice(0, query.limit);
    }
    // A vehicle OSRM cannot route from (off the road graph) goes after every routable one.
    const ranked = candidates.map((candidate, i) => {
      const cost = costs[i];
      if (!cost) return { ...candidate, method: 'osrm' as const, etaSeconds: Infinity };
      return { ...candidate, method: 'osrm' as const, etaSeconds: Math.round(cost.durationSeconds), roadDistanceMeters: cost.distanceMeters };
    });
    ranked.sort((a, b) => a.etaSeconds - b.etaSeconds || a.distanceMeters - b.distanceMeters);
    const metresPerSecond = this.settings.etaSpeedKmh / 3.6;
    return ranked.slice(0, query.limit).map((r) =>
      Number.isFinite(r.etaSeconds) ? r : { ...r, etaSeconds: Math.round(r.distanceMeters / metresPerSecond) },
    );
  }
}
