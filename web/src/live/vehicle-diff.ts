/**
 * The live picture in the browser: the latest state of every vehicle, and the changes since the map last
 * drew. Pushes arrive in bursts (a tick of the API, a reconnect's snapshot); the map is told once per frame,
 * with one entry per vehicle however many times it changed in between.
 */
export type DispatchStatus = 'standby' | 'on_task' | 'unavailable';
export type ConnectionStatus = 'online' | 'offline' | 'unknown';
/** What the map colours by: the dispatch status, or offline, which wins over it. */
export type VehicleShade = DispatchStatus | 'offline';

export interface VehicleState {
  id: number;
  name: string;
  plate: string;
  uniqueId: string;
  unitId: number | null;
  status: ConnectionStatus;
  dispatchStatus: DispatchStatus;
  lat: number | null;
  lon: number | null;
  course: number;
  speedKmh: number;
  fixTime: string | null;
}

export interface VehicleDiff {
  add: VehicleState[];
  update: VehicleState[];
  remove: number[];
}

export function shadeOf(vehicle: Pick<VehicleState, 'status' | 'dispatchStatus'>): VehicleShade {
  return vehicle.status === 'offline' ? 'offline' : vehicle.dispatchStatus;
}

type Pending = 'changed' | 'removed';

export class VehicleDiffer {
  readonly vehicles = new Map<number, VehicleState>();
  private readonly pending = new Map<number, Pending>();
  private readonly drawn = new Set<number>();

  /** Merges a partial update into the vehicle's state; returns false when nothing the map shows changed. */
  upsert(patch: Partial<VehicleState> & { id: number }): boolean {
    const current = this.vehicles.get(patch.id);
    if (!current) {
      this.vehicles.set(patch.id, { ...EMPTY, ...stripUndefined(patch) });
      this.pending.set(patch.id, 'changed');
      return true;
    }
    let changed = false;
    for (const [key, value] of Object.entries(patch) as [keyof VehicleState, never][]) {
      if (value === undefined || current[key] === value) continue;
      current[key] = value;
      changed = true;
    }
    if (changed) this.pending.set(patch.id, 'changed');
    return changed;
  }

  remove(id: number): void {
    if (!this.vehicles.delete(id)) return;
    this.pending.set(id, 'removed');
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** The changes since the previous call, one entry per vehicle; vehicles without a fix are not drawn. */
  flush(): VehicleDiff {
    const diff: VehicleDiff = { add: [], update: [], remove: [] };
    for (const [id, what] of this.pending) {
      const vehicle = this.vehicles.get(id);
      const drawable = what !== 'removed' && vehicle !== undefined && vehicle.lat !== null && vehicle.lon !== null;
      if (!drawable) {
        if (this.drawn.delete(id)) diff.remove.push(id);
      } else if (this.drawn.has(id)) {
        diff.update.push(vehicle);
      } else {
        this.drawn.add(id);
        diff.add.push(vehicle);
      }
    }
    this.pending.clear();
    return diff;
  }
}

const EMPTY: VehicleState = {
  id: 0,
  name: '',
  plate: '',
  uniqueId: '',
  unitId: null,
  status: 'unknown',
  dispatchStatus: 'standby',
  lat: null,
  lon: null,
  course: 0,
  speedKmh: 0,
  fixTime: null,
};

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Every map push makes MapLibre's worker regroup its clusters and re-tile, whatever the diff's size; more
 * than a few a second only queues work (web/bench/map-10k.bench.ts), so pushes are at least this far apart.
 */
export const MAP_PUSH_MIN_INTERVAL_MS = 300;

export interface CoalescerTiming {
  minIntervalMs: number;
  now: () => number;
  delay: (run: () => void, ms: number) => void;
}

/**
 * Runs `flush` at most once per scheduled frame however often `request` is called, and no sooner than
 * `minIntervalMs` after the previous flush. `schedule` is requestAnimationFrame in the browser.
 */
export class FrameCoalescer {
  private scheduled = false;
  private last = -Infinity;
  private readonly schedule: (run: () => void) => void;
  private readonly flush: () => void;
  private readonly timing: CoalescerTiming;

  constructor(schedule: (run: () => void) => void, flush: () => void, timing: Partial<CoalescerTiming> = {}) {
    this.schedule = schedule;
    this.flush = flush;
    this.timing = {
      minIntervalMs: timing.minIntervalMs ?? 0,
      now: timing.now ?? (() => performance.now()),
      delay: timing.delay ?? ((run, ms) => setTimeout(run, ms)),
    };
  }

  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.last = this.timing.now();
      this.flush();
    };
    const wait = this.last + this.timing.minIntervalMs - this.timing.now();
    if (wait > 0) this.timing.delay(() => this.schedule(run), wait);
    else this.schedule(run);
  }
}
