import type { FenceIndex, IndexedFence } from '../geofence/fence-index.ts';

export interface DetectorFence extends IndexedFence {
  unitId: number | null;
  speedLimitKmh: number | null;
}

export interface DetectorDevice {
  deviceId: number;
  unitId: number | null;
  /** The device's own speed limit; null for none. */
  speedLimitKmh: number | null;
}

export interface DetectorPosition {
  fixTimeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  valid: boolean;
  /** Terminal alarm names (`position.alarms` on the bus): sos, powerCut, … */
  alarms: readonly string[];
}

/** Who saw the condition: the terminal (its alarm bits), or the server (fences, speed limits). */
export type AlarmSource = 'terminal' | 'geofence' | 'speed';

export interface DetectedAlarm {
  deviceId: number;
  source: AlarmSource;
  /** geofenceEnter, geofenceExit, overspeed, or a terminal alarm name. */
  kind: string;
  geofenceId: number | null;
  occurredAtMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  details: Record<string, unknown>;
}

/** What a device's earlier state was, as the database remembers it across restarts. */
export interface DeviceMemory {
  insideFenceIds: readonly number[];
  /** Alarm keys still raised (see `alarmKey`): open alarms, so a restart does not raise them twice. */
  raisedKeys: readonly string[];
}

interface DeviceState {
  lastFixMs: number;
  /** Replaced whole, never changed in place: an empty one is the shared NO_FENCES. */
  inside: ReadonlySet<number>;
  raised: Set<string>;
}

// Most fixes are inside no fence: they all share this one empty set instead of each keeping a new one.
const NO_FENCES: ReadonlySet<number> = new Set<number>();

export function alarmKey(source: AlarmSource, kind: string, geofenceId: number | null): string {
  return `${source}:${kind}:${geofenceId ?? 0}`;
}

/**
 * Turns each device's stream of fixes into alarm events: geofence enter and exit, overspeed (against the
 * device's limit, and the limit of each fence it is in), and terminal alarms. Every condition fires on its
 * rising edge only, so an SOS held down for ten minutes is one alarm. Overspeed clears only once the speed
 * is `hysteresisKmh` under the limit, so a car hovering at the limit does not raise one alarm per fix.
 * A fix older than the newest seen is ignored: a late batch must not flip a fence back.
 */
export class AlarmDetector<F extends DetectorFence = DetectorFence> {
  readonly #fences: FenceIndex<F>;
  readonly #appliesTo: (fence: F, device: DetectorDevice) => boolean;
  readonly #hysteresisKmh: number;
  readonly #states = new Map<number, DeviceState>();

  constructor(fences: FenceIndex<F>, appliesTo: (fence: F, device: DetectorDevice) => boolean, hysteresisKmh = 5) {
    this.#fences = fences;
    this.#appliesTo = appliesTo;
    this.#hysteresisKmh = hysteresisKmh;
  }

  knows(deviceId: number): boolean {
    return this.#states.has(deviceId);
  }

  remember(deviceId: number, memory: DeviceMemory): void {
    this.#states.set(deviceId, { lastFixMs: -Infinity, inside: new Set(memory.insideFenceIds), raised: new Set(memory.raisedKeys) });
  }

  /** Forgets fences that no longer exist, so their deletion does not read as every vehicle leaving them. */
  keepOnlyFences(ids: ReadonlySet<number>): void {
    for (const state of this.#states.values()) {
      let gone = false;
      for (const id of state.inside) if (!ids.has(id)) gone = true;
      if (gone) state.inside = new Set([...state.inside].filter((id) => ids.has(id)));
    }
  }

  insideOf(deviceId: number): number[] {
    return [...(this.#states.get(deviceId)?.inside ?? [])];
  }

  detect(device: DetectorDevice, position: DetectorPosition): DetectedAlarm[] {
    let state = this.#states.get(device.deviceId);
    if (!state) this.#states.set(device.deviceId, (state = { lastFixMs: -Infinity, inside: NO_FENCES, raised: new Set() }));
    if (position.fixTimeMs <= state.lastFixMs) return [];
    state.lastFixMs = position.fixTimeMs;
    // Every stored position passes here: no closure per fix, the events go through a method.
    const events: DetectedAlarm[] = [];
    this.#terminalAlarms(state, device, position, events);
    if (!position.valid) return events;
    let inside: Set<number> | null = null;
    for (const fence of this.#fences.containing(position.lat, position.lon)) {
      if (this.#appliesTo(fence, device)) (inside ??= new Set()).add(fence.id);
    }
    const now: ReadonlySet<number> = inside ?? NO_FENCES;
    // Most fixes are inside no fence and were inside none before, and most devices have nothing raised: the
    // size checks spare those fixes an iterator per loop.
    if (now.size > 0 || state.inside.size > 0) {
      for (const id of now) if (!state.inside.has(id)) this.#emit(events, device, position, 'geofence', 'geofenceEnter', id);
      for (const id of state.inside) if (!now.has(id)) this.#emit(events, device, position, 'geofence', 'geofenceExit', id);
    }
    state.inside = now;
    this.#overspeed(state, null, device.speedLimitKmh, device, position, events);
    if (now.size > 0) for (const id of now) this.#overspeed(state, id, this.#fences.get(id)?.speedLimitKmh ?? null, device, position, events);
    // A fence left behind takes its overspeed condition with it.
    if (state.raised.size > 0) for (const key of state.raised) {
      const [source, , fence] = key.split(':');
      if (source === 'speed' && fence !== '0' && !now.has(Number(fence))) state.raised.delete(key);
    }
    return events;
  }

  #emit(
    events: DetectedAlarm[],
    device: DetectorDevice,
    position: DetectorPosition,
    source: AlarmSource,
    kind: string,
    geofenceId: number | null,
    details: Record<string, unknown> = {},
  ): void {
    events.push({ deviceId: device.deviceId, source, kind, geofenceId, occurredAtMs: position.fixTimeMs, lat: position.lat, lon: position.lon, speedKmh: position.speedKmh, details });
  }

  #terminalAlarms(state: DeviceState, device: DetectorDevice, position: DetectorPosition, events: DetectedAlarm[]): void {
    // Most fixes carry no alarm and most devices have nothing raised: nothing to compare, nothing to allocate.
    if (position.alarms.length === 0 && state.raised.size === 0) return;
    const active = new Set(position.alarms);
    for (const name of active) {
      const key = alarmKey('terminal', name, null);
      if (!state.raised.has(key)) {
        state.raised.add(key);
        this.#emit(events, device, position, 'terminal', name, null);
      }
    }
    for (const key of state.raised) {
      const [source, kind] = key.split(':');
      if (source === 'terminal' && !active.has(kind!)) state.raised.delete(key);
    }
  }

  #overspeed(
    state: DeviceState,
    fenceId: number | null,
    limitKmh: number | null,
    device: DetectorDevice,
    position: DetectorPosition,
    events: DetectedAlarm[],
  ): void {
    if (limitKmh === null) return;
    const key = alarmKey('speed', 'overspeed', fenceId);
    if (position.speedKmh > limitKmh) {
      if (state.raised.has(key)) return;
      state.raised.add(key);
      this.#emit(events, device, position, 'speed', 'overspeed', fenceId, { limitKmh, speedKmh: position.speedKmh });
    } else if (position.speedKmh < limitKmh - this.#hysteresisKmh) {
      state.raised.delete(key);
    }
  }
}
