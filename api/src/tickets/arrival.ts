import { distanceMeters } from './geo.ts';

/**
 * Decides when a dispatched vehicle has reached the scene: its fixes stay within `radiusMeters` of the
 * ticket for at least `minDwellMs` of fix time. Pure: positions in, arrivals out; whoever feeds it records
 * the arrival with a conditional update so that several API processes seeing the same fixes arrive once.
 */
export interface ArrivalWatch {
  ticketId: number;
  deviceId: number;
  lat: number;
  lon: number;
  radiusMeters: number;
  minDwellMs: number;
}

export interface PositionSample {
  deviceId: number;
  fixTimeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
}

export interface EvidencePosition extends PositionSample {
  distanceMeters: number;
}

export interface Arrival {
  ticketId: number;
  deviceId: number;
  arrivedAtMs: number;
  evidence: EvidencePosition[];
}

export const DEFAULT_ARRIVAL = { radiusMeters: 100, minDwellMs: 60_000 };

interface WatchState {
  watch: ArrivalWatch;
  inside: EvidencePosition[];
  lastFixMs: number;
}

// A vehicle that parks at the scene for an hour still reports; keep the evidence of one arrival bounded.
const MAX_EVIDENCE = 200;

export class ArrivalDetector {
  readonly #byDevice = new Map<number, WatchState[]>();

  watch(watch: ArrivalWatch): void {
    this.unwatch(watch.ticketId);
    const states = this.#byDevice.get(watch.deviceId) ?? [];
    states.push({ watch, inside: [], lastFixMs: -Infinity });
    this.#byDevice.set(watch.deviceId, states);
  }

  unwatch(ticketId: number): void {
    for (const [deviceId, states] of this.#byDevice) {
      const kept = states.filter((s) => s.watch.ticketId !== ticketId);
      if (kept.length === 0) this.#byDevice.delete(deviceId);
      else this.#byDevice.set(deviceId, kept);
    }
  }

  get watching(): number {
    let count = 0;
    for (const states of this.#byDevice.values()) count += states.length;
    return count;
  }

  /** Whether any ticket waits for this device's arrival: most fixes are of devices no ticket watches. */
  watches(deviceId: number): boolean {
    return this.#byDevice.has(deviceId);
  }

  /** Feeds one fix; returns the arrivals it completes (each watch fires once, then is dropped). */
  offer(sample: PositionSample): Arrival[] {
    const states = this.#byDevice.get(sample.deviceId);
    if (!states) return [];
    const arrivals: Arrival[] = [];
    for (const state of states) {
      // Buffered fixes replayed after a reconnect come in late and out of order; dwell is counted on new ones.
      if (sample.fixTimeMs <= state.lastFixMs) continue;
      state.lastFixMs = sample.fixTimeMs;
      const { watch } = state;
      const distance = distanceMeters(watch.lat, watch.lon, sample.lat, sample.lon);
      if (distance > watch.radiusMeters) {
        state.inside = [];
        continue;
      }
      state.inside.push({ ...sample, distanceMeters: Math.round(distance * 10) / 10 });
      if (state.inside.length > MAX_EVIDENCE) state.inside.splice(1, 1);
      const first = state.inside[0]!;
      if (sample.fixTimeMs - first.fixTimeMs >= watch.minDwellMs) {
        arrivals.push({ ticketId: watch.ticketId, deviceId: watch.deviceId, arrivedAtMs: first.fixTimeMs, evidence: state.inside });
      }
    }
    for (const arrival of arrivals) this.unwatch(arrival.ticketId);
    return arrivals;
  }
}
