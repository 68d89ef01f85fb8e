/**
 * The simulator's running totals and ack latencies. Latencies go into fixed 0.1 ms buckets up to 10 s, so
 * percentiles over millions of acks cost a few kilobytes and no sorting.
 */
const BUCKET_MS = 0.1;
const BUCKETS = 100_000;

export class LatencyRecorder {
  private readonly counts = new Uint32Array(BUCKETS + 1);
  count = 0;

  record(ms: number): void {
    const index = Math.min(BUCKETS, Math.max(0, Math.floor(ms / BUCKET_MS)));
    this.counts[index]!++;
    this.count++;
  }

  /** The latency below which `fraction` of the recorded ones lie, in ms (upper edge of its bucket). */
  percentile(fraction: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(fraction * this.count);
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return (i + 1) * BUCKET_MS;
    }
    return BUCKETS * BUCKET_MS;
  }

}

export class FleetStats {
  connected = 0;
  loggedIn = 0;
  refused = 0;
  sent = 0;
  resent = 0;
  acked = 0;
  commandsReceived = 0;
  readonly latency = new LatencyRecorder();
}
