/**
 * One clock for every track being replayed, so several vehicles move in sync. Track time advances at
 * `speed` times wall time while playing; it can be dragged (seek) at any moment and stops at the end.
 */
export const SPEEDS = [1, 2, 4, 8, 16, 32, 64] as const;

export class PlaybackClock {
  readonly start: number;
  readonly end: number;
  speed = 1;
  private readonly now: () => number;
  private anchorTrack: number;
  private anchorWall = 0;
  private running = false;

  constructor(start: number, end: number, now: () => number = () => performance.now()) {
    if (!(end >= start)) throw new Error('playback period must end after it starts');
    this.start = start;
    this.end = end;
    this.now = now;
    this.anchorTrack = start;
  }

  get playing(): boolean {
    return this.running && this.time() < this.end;
  }

  /** Current track time, epoch milliseconds. */
  time(): number {
    if (!this.running) return this.anchorTrack;
    const t = this.anchorTrack + (this.now() - this.anchorWall) * this.speed;
    return Math.min(this.end, t);
  }

  play(): void {
    // Playing from the end starts over, which is what a user pressing play at the end means.
    if (this.time() >= this.end) this.anchorTrack = this.start;
    else this.anchorTrack = this.time();
    this.anchorWall = this.now();
    this.running = true;
  }

  pause(): void {
    this.anchorTrack = this.time();
    this.running = false;
  }

  seek(t: number): void {
    this.anchorTrack = Math.min(this.end, Math.max(this.start, t));
    this.anchorWall = this.now();
  }

  setSpeed(speed: number): void {
    // Re-anchor first so the change applies from now on, not retroactively.
    this.anchorTrack = this.time();
    this.anchorWall = this.now();
    this.speed = speed;
  }

  /** Position of the slider, 0..1. */
  fraction(): number {
    return this.end === this.start ? 1 : (this.time() - this.start) / (this.end - this.start);
  }
}
