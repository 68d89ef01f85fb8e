import type { TrackPage } from './track-page.ts';

export interface TripOptions {
  /** Below this speed a fix counts as standing still. */
  stopSpeedKmh: number;
  /** Standing still at least this long makes a stop; shorter halts (traffic lights) stay inside the trip. */
  minStopSeconds: number;
}

export interface Stop {
  startTime: number;
  endTime: number;
  durationSeconds: number;
  lat: number;
  lon: number;
}

export interface Trip {
  startTime: number;
  endTime: number;
  durationSeconds: number;
  distanceMeters: number;
  maxSpeedKmh: number;
  startLat: number;
  startLon: number;
  endLat: number;
  endLon: number;
}

/** A fix the detector remembers: where a trip or a slow run began, or the last valid fix. */
interface Mark {
  ms: number;
  lat: number;
  lon: number;
  speed: number;
}

/**
 * Splits a track into trips and stops in one pass. A stop is a run of slow fixes lasting `minStopSeconds`
 * or more, measured until the vehicle moves again (so a parked, silent terminal still makes one stop);
 * everything between stops is a trip, which ends where the stop began. The detector holds one open trip,
 * the start of the current slow run and the last valid fix, never the track.
 */
export class TripDetector {
  readonly #options: TripOptions;
  readonly #trips: Trip[] = [];
  readonly #stops: Stop[] = [];
  #tripStart: Mark | null = null;
  #tripDistance = 0;
  #tripMaxSpeed = 0;
  #slowStart: Mark | null = null;
  // The trip's distance when the slow run began: a stop's GPS jitter is not driving.
  #distanceAtSlow = 0;
  // The last two valid fixes, overwritten in place for every fix; copied when a trip or a slow run begins.
  readonly #previous: Mark = { ms: 0, lat: 0, lon: 0, speed: 0 };
  readonly #last: Mark = { ms: 0, lat: 0, lon: 0, speed: 0 };
  #hasLast = false;

  constructor(options: TripOptions) {
    this.#options = options;
  }

  /** `hops` from a HopMeter over the same pages. */
  add(page: TrackPage, hops: Float64Array): void {
    const previous = this.#previous;
    const last = this.#last;
    for (let i = 0; i < page.length; i++) {
      if (!page.valid[i]) continue;
      const ms = page.fixTimeMs[i]!;
      const speed = page.speedKmh[i]!;
      const hadPrevious = this.#hasLast;
      previous.ms = last.ms;
      previous.lat = last.lat;
      previous.lon = last.lon;
      previous.speed = last.speed;
      last.ms = ms;
      last.lat = page.lat[i]!;
      last.lon = page.lon[i]!;
      last.speed = speed;
      this.#hasLast = true;
      if (!this.#tripStart || !hadPrevious) this.#openTrip({ ...last });
      else this.#extend(hops[i]!, speed);
      if (speed < this.#options.stopSpeedKmh) {
        if (!this.#slowStart) {
          this.#slowStart = { ...last };
          this.#distanceAtSlow = this.#tripDistance;
        }
        continue;
      }
      const slow = this.#slowStart;
      this.#slowStart = null;
      if (slow && hadPrevious && this.#isStop(slow, ms)) {
        this.#closeTrip(slow, this.#distanceAtSlow);
        this.#stops.push(toStop(slow, ms));
        this.#openTrip({ ...previous });
        this.#extend(hops[i]!, speed);
      }
    }
  }

  /** Closes what is still open at the end of the track. */
  finish(): { trips: Trip[]; stops: Stop[] } {
    const slow = this.#slowStart;
    const last = this.#hasLast ? this.#last : null;
    if (slow && last && this.#isStop(slow, last.ms)) {
      this.#closeTrip(slow, this.#distanceAtSlow);
      this.#stops.push(toStop(slow, last.ms));
    } else if (last && this.#tripStart) {
      this.#closeTrip(last, this.#tripDistance);
    }
    this.#tripStart = null;
    this.#slowStart = null;
    return { trips: this.#trips, stops: this.#stops };
  }

  #openTrip(start: Mark): void {
    this.#tripStart = start;
    this.#tripDistance = 0;
    this.#tripMaxSpeed = start.speed;
  }

  #extend(hop: number, speed: number): void {
    this.#tripDistance += hop;
    if (speed > this.#tripMaxSpeed) this.#tripMaxSpeed = speed;
  }

  #isStop(slow: Mark, untilMs: number): boolean {
    return untilMs - slow.ms >= this.#options.minStopSeconds * 1000;
  }

  #closeTrip(end: Mark, distance: number): void {
    const start = this.#tripStart;
    if (!start || end.ms <= start.ms) return;
    this.#trips.push({
      startTime: start.ms,
      endTime: end.ms,
      durationSeconds: (end.ms - start.ms) / 1000,
      distanceMeters: Math.round(distance * 10) / 10,
      maxSpeedKmh: this.#tripMaxSpeed,
      startLat: start.lat,
      startLon: start.lon,
      endLat: end.lat,
      endLon: end.lon,
    });
  }
}

function toStop(slow: Mark, untilMs: number): Stop {
  return {
    startTime: slow.ms,
    endTime: untilMs,
    durationSeconds: (untilMs - slow.ms) / 1000,
    lat: slow.lat,
    lon: slow.lon,
  };
}
