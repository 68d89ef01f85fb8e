import type { TrackPage } from './track-page.ts';

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
 * Sums a track page by page, so a month of fixes never has to be held at once. Invalid fixes (no
 * satellite lock) are counted but add neither distance nor speed: their coordinates are stale.
 */
export class TrackStatsAccumulator {
  readonly #options: StatsOptions;
  #started = false;
  #previousMs = 0;
  #previousSpeed = 0;
  #count = 0;
  #distance = 0;
  #movingMs = 0;
  #maxSpeed = 0;
  #start: number | null = null;
  #end: number | null = null;

  constructor(options: StatsOptions) {
    this.#options = options;
  }

  /** `hops` from a HopMeter over the same pages. */
  add(page: TrackPage, hops: Float64Array): void {
    if (page.length === 0) return;
    this.#count += page.length;
    this.#start ??= page.fixTimeMs[0]!;
    this.#end = page.fixTimeMs[page.length - 1]!;
    const movingSpeed = this.#options.movingSpeedKmh;
    const maxGapMs = this.#options.maxGapSeconds * 1000;
    for (let i = 0; i < page.length; i++) {
      if (!page.valid[i]) continue;
      const ms = page.fixTimeMs[i]!;
      const speed = page.speedKmh[i]!;
      if (speed > this.#maxSpeed) this.#maxSpeed = speed;
      if (this.#started) {
        const dt = ms - this.#previousMs;
        if (this.#previousSpeed >= movingSpeed && dt <= maxGapMs) this.#movingMs += dt;
        this.#distance += hops[i]!;
      }
      this.#started = true;
      this.#previousMs = ms;
      this.#previousSpeed = speed;
    }
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
