import { haversineMeters } from './geodesy.ts';
import type { TrackPoint } from './track-point.ts';

export interface TrackStats {
  pointCount: number;
  distanceMeters: number;
  movingSeconds: number;
  maxSpeedKmh: number;
  /** Distance over moving time: the speed while the vehicle was actually moving. */
  averageSpeedKmh: number;
  startTime: number | null;
  endTime: number | null;
}

export interface StatsOptions {
  /** At or above this speed the vehicle counts as moving. */
  movingSpeedKmh: number;
  /** A silence longer than this is a gap in the data, not time spent moving. */
  maxGapSeconds: number;
}

/**
 * Sums a track one point at a time, so a month of fixes never has to be held at once. Invalid fixes
 * (no satellite lock) are counted but add neither distance nor speed: their coordinates are stale.
 */
export class TrackStatsAccumulator {
  readonly #options: StatsOptions;
  #previous: TrackPoint | null = null;
  #count = 0;
  #distance = 0;
  #movingMs = 0;
  #maxSpeed = 0;
  #start: number | null = null;
  #end: number | null = null;

  constructor(options: StatsOptions) {
    this.#options = options;
  }

  add(point: TrackPoint): void {
    this.#count++;
    this.#start ??= point.fixTimeMs;
    this.#end = point.fixTimeMs;
    if (!point.valid) return;
    if (point.speedKmh > this.#maxSpeed) this.#maxSpeed = point.speedKmh;
    const previous = this.#previous;
    this.#previous = point;
    if (!previous) return;
    const dt = point.fixTimeMs - previous.fixTimeMs;
    if (previous.speedKmh >= this.#options.movingSpeedKmh && dt <= this.#options.maxGapSeconds * 1000) {
      this.#movingMs += dt;
    }
    this.#distance += haversineMeters(previous.lat, previous.lon, point.lat, point.lon);
  }

  result(): TrackStats {
    const movingSeconds = this.#movingMs / 1000;
    return {
      pointCount: this.#count,
      distanceMeters: Math.round(this.#distance * 10) / 10,
      movingSeconds,
      maxSpeedKmh: this.#maxSpeed,
      averageSpeedKmh: movingSeconds > 0 ? Math.round((this.#distance / movingSeconds) * 36) / 10 : 0,
      startTime: this.#start,
      endTime: this.#end,
    };
  }
}
