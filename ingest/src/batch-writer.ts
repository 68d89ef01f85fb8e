/**
 * Group commit, after graphile-worker's `batch()`: the first item opens a short window, later items join,
 * and one `write` call stores them all. Each `add` calls back with that item's result only after the write
 * that carried it has committed, so a caller that acknowledges then never acknowledges what is not stored.
 * Callbacks, not a promise per item: at full rate ten thousand items wait at once, and each promise with
 * its reactions is several more objects for every young-generation GC to copy. A failed write rejects every item of its batch (their terminals resend) and backs off before the
 * next attempt; meanwhile new items wait, up to `capacity`, and `saturated` tells the transports to stop
 * reading. `release()` writes what is held and waits for the writes in flight.
 */
export interface BatchWriterOptions<T, R> {
  /** Stores the items in one transaction; resolves with one result per item, in order. */
  write(items: T[]): Promise<R[]>;
  /** Flush as soon as this many items are waiting. */
  maxBatch: number;
  /** Flush this long after the first item of a batch arrived. */
  windowMs: number;
  /** Items held (waiting or being written) beyond which the writer reports itself saturated. */
  capacity: number;
  /** Writes allowed in flight at once; 2 lets one batch fill while the previous commits. */
  maxInFlight?: number;
  /** Called when `saturated` changes, so transports pause or resume reading. */
  onSaturation?(saturated: boolean): void;
  /** Called after every write, with its size, duration, and the error if it failed. */
  onWrite?(size: number, durationMs: number, error: unknown): void;
}

/** Called once per item: with its result after the commit, or with the error that kept it from being stored. */
export type BatchCallback<R> = (error: unknown, result?: R) => void;

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

export class BatchWriter<T, R> {
  private readonly options: BatchWriterOptions<T, R>;
  private readonly maxInFlight: number;
  // Parallel arrays rather than an object per waiting item, for the same reason as the callbacks.
  private queue: T[] = [];
  private callbacks: BatchCallback<R>[] = [];
  private inFlight = 0;
  private inFlightItems = 0;
  private timer: NodeJS.Timeout | undefined;
  private backoffMs = 0;
  private isSaturated = false;
  private readonly idleWaiters: (() => void)[] = [];
  private released = false;

  constructor(options: BatchWriterOptions<T, R>) {
    this.options = options;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  /** Items waiting plus items in writes not yet committed. */
  get held(): number {
    return this.queue.length + this.inFlightItems;
  }

  get saturated(): boolean {
    return this.isSaturated;
  }

  /** True while the last write failed and the writer is backing off. */
  get failing(): boolean {
    return this.backoffMs > 0;
  }

  add(item: T, callback: BatchCallback<R>): void {
    if (this.released) {
      callback(new Error('batch writer released'));
      return;
    }
    this.queue.push(item);
    this.callbacks.push(callback);
    this.updateSaturation();
    this.schedule();
  }

  /** Writes everything held, then resolves once no write is in flight. New items are refused. */
  async release(): Promise<void> {
    this.released = true;
    this.backoffMs = 0;
    this.flush();
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.queue.length >= this.options.maxBatch && this.backoffMs === 0) {
      this.flush();
      return;
    }
    if (this.timer) return;
    const delay = this.backoffMs || this.options.windowMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, delay);
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      // While the database is failing, probe it with one write at a time.
      if (this.backoffMs > 0 && this.inFlight > 0) break;
      const batch = this.queue.splice(0, this.options.maxBatch);
      void this.run(batch, this.callbacks.splice(0, batch.length));
    }
    if (this.queue.length > 0 && this.inFlight >= this.maxInFlight) return;
    if (this.queue.length > 0) this.schedule();
  }

  private async run(batch: T[], callbacks: BatchCallback<R>[]): Promise<void> {
    this.inFlight++;
    this.inFlightItems += batch.length;
    const started = performance.now();
    let failure: unknown;
    let results: R[] | undefined;
    try {
      results = await this.options.write(batch);
      if (results.length !== batch.length) {
        throw new Error(`write returned ${results.length} results for ${batch.length} items`);
      }
    } catch (error) {
      failure = error;
    }
    this.inFlight--;
    this.inFlightItems -= batch.length;
    this.options.onWrite?.(batch.length, performance.now() - started, failure);
    if (results && failure === undefined) {
      this.backoffMs = 0;
      for (let i = 0; i < batch.length; i++) callbacks[i]!(null, results[i]!);
    } else {
      this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(MIN_BACKOFF_MS, this.backoffMs * 2));
      // A callback's null error means success, so even a write that threw nothing usable fails with an Error.
      const error = failure ?? new Error('write failed');
      for (const callback of callbacks) callback(error);
      // At shutdown there is no time to wait for the database: what is held stays owed to its terminals.
      if (this.released) {
        this.queue.length = 0;
        for (const callback of this.callbacks.splice(0)) callback(error);
      }
    }
    this.updateSaturation();
    if (this.queue.length > 0) {
      if (this.backoffMs === 0 && (this.released || this.queue.length >= this.options.maxBatch)) this.flush();
      else this.schedule();
    } else if (this.inFlight === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private updateSaturation(): void {
    const held = this.held;
    // Hysteresis: resume only once half the capacity is free, so sockets do not flap.
    const next = this.isSaturated ? held > this.options.capacity / 2 : held >= this.options.capacity;
    if (next === this.isSaturated) return;
    this.isSaturated = next;
    this.options.onSaturation?.(next);
  }
}
