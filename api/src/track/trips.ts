import { haversineMeters } from './geodesy.ts';
import type { TrackPoint } from './track-point.ts';

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

interface OpenTrip {
  start: TrackPoint;
  distance: number;
  maxSpeed: number;
}

/**
 * Splits a track into trips and stops in one pass. A stop is a run of slow fixes lasting `minStopSeconds`
 * or more, measured until the vehicle moves again (so a parked, silent terminal still makes one stop);
 * everything between stops is a trip, which ends where the stop began. The detector holds one open trip
 * and the start of the current slow run, never the track.
 */
export class TripDetector {
  readonly #options: TripOptions;
  readonly #trips: Trip[] = [];
  readonly #stops: Stop[] = [];
  #trip: OpenTrip | null = null;
  #slowStart: TrackPoint | null = null;
  // The trip's distance when the slow run began: a stop's GPS jitter is not driving.
  #distanceAtSlow = 0;
  #last: TrackPoint | null = null;

  constructor(options: TripOptions) {
    this.#options = options;
  }

  add(point: TrackPoint): void {
    if (!point.valid) return;
    const previous = this.#last;
    this.#last = point;
    if (!this.#trip || !previous) this.#trip = { start: point, distance: 0, maxSpeed: point.speedKmh };
    else extend(this.#trip, previous, point);
    if (point.speedKmh < this.#options.stopSpeedKmh) {
      if (!this.#slowStart) {
        this.#slowStart = point;
        this.#distanceAtSlow = this.#trip.distance;
      }
      return;
    }
    const slow = this.#slowStart;
    this.#slowStart = null;
    if (slow && previous && this.#isStop(slow, point.fixTimeMs)) {
      this.#closeTrip(slow, this.#distanceAtSlow);
      this.#stops.push(toStop(slow, point.fixTimeMs));
      this.#trip = { start: previous, distance: 0, maxSpeed: previous.speedKmh };
      extend(this.#trip, previous, point);
    }
  }

  /** Closes what is still open at the end of the track. */
  finish(): { trips: Trip[]; stops: Stop[] } {
    const slow = this.#slowStart;
    const last = this.#last;
    if (slow && last && this.#isStop(slow, last.fixTimeMs)) {
      this.#closeTrip(slow, this.#distanceAtSlow);
      this.#stops.push(toStop(slow, last.fixTimeMs));
    } else if (last && this.#trip) {
      this.#closeTrip(last, this.#trip.distance);
    }
    this.#trip = null;
    this.#slowStart = null;
    return { trips: this.#trips, stops: this.#stops };
  }

  #isStop(slow: TrackPoint, untilMs: number): boolean {
    return untilMs - slow.fixTimeMs >= this.#options.minStopSeconds * 1000;
  }

  #closeTrip(end: TrackPoint, distance: number): void {
    const trip = this.#trip;
    if (!trip || end.fixTimeMs <= trip.start.fixTimeMs) return;
    this.#trips.push({
      startTime: trip.start.fixTimeMs,
      endTime: end.fixTimeMs,
      durationSeconds: (end.fixTimeMs - trip.start.fixTimeMs) / 1000,
      distanceMeters: Math.round(distance * 10) / 10,
      maxSpeedKmh: trip.maxSpeed,
      startLat: trip.start.lat,
      startLon: trip.start.lon,
      endLat: end.lat,
      endLon: end.lon,
    });
  }
}

function extend(trip: OpenTrip, from: TrackPoint, to: TrackPoint): void {
  trip.distance += haversineMeters(from.lat, from.lon, to.lat, to.lon);
  if (to.speedKmh > trip.maxSpeed) trip.maxSpeed = to.speedKmh;
}

function toStop(slow: TrackPoint, untilMs: number): Stop {
  return {
    startTime: slow.fixTimeMs,
    endTime: untilMs,
    durationSeconds: (untilMs - slow.fixTimeMs) / 1000,
    lat: slow.lat,
    lon: slow.lon,
  };
}
