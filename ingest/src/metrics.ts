/**
 * Ingest's metrics in Prometheus text format. A handful of fixed series, so a small registry of plain
 * numbers beats a general client: incrementing is one property write on the hot path.
 */
type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/["\\\n]/g, '_')}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

export class Counter {
  readonly name: string;
  readonly help: string;
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }

  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  /** A handle for one label set, so the hot path does not rebuild the label key on every increment. */
  bind(labels: Labels): { inc(by?: number): void } {
    const key = labelText(labels);
    let entry = this.values.get(key);
    if (!entry) {
      entry = { labels, value: 0 };
      this.values.set(key, entry);
    }
    const bound = entry;
    return {
      inc(by = 1) {
        bound.value += by;
      },
    };
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  render(type = 'counter'): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${type}`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

/** A value read when rendered (connections open, items held). */
export class Gauge {
  readonly name: string;
  readonly help: string;
  private readonly read: () => number;

  constructor(name: string, help: string, read: () => number) {
    this.name = name;
    this.help = help;
    this.read = read;
  }

  render(): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n${this.name} ${this.read()}`;
  }
}

export class Histogram {
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
  private readonly counts: number[];
  count = 0;
  sum = 0;

  constructor(name: string, help: string, buckets: readonly number[]) {
    this.name = name;
    this.help = help;
    this.buckets = buckets;
    this.counts = buckets.map(() => 0);
  }

  observe(value: number): void {
    this.count++;
    this.sum += value;
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= this.buckets[i]!) {
        this.counts[i]!++;
        return;
      }
    }
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    let cumulative = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      cumulative += this.counts[i]!;
      lines.push(`${this.name}_bucket{le="${this.buckets[i]}"} ${cumulative}`);
    }
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

const LATENCY_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const BATCH_SIZES = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

export class IngestMetrics {
  readonly framesIn = new Counter('urbanlink_ingest_frames_in_total', 'Frames received from terminals.');
  readonly framesOut = new Counter('urbanlink_ingest_frames_out_total', 'Frames sent to terminals.');
  readonly badFrames = new Counter('urbanlink_ingest_bad_frames_total', 'Frames that could not be decoded, by reason.');
  readonly lenientFrames = new Counter('urbanlink_ingest_lenient_frames_total', 'Frames decoded only in lenient mode.');
  readonly refused = new Counter('urbanlink_ingest_refused_total', 'Frames from unknown or unauthenticated terminals.');
  readonly positionsStored = new Counter('urbanlink_ingest_positions_stored_total', 'Positions committed (new rows).');
  readonly positionsDuplicate = new Counter('urbanlink_ingest_positions_duplicate_total', 'Resent positions already stored.');
  readonly writeFailures = new Counter('urbanlink_ingest_write_failures_total', 'Batches whose commit failed.');
  readonly inputPauses = new Counter('urbanlink_ingest_input_pauses_total', 'Times terminal input was paused because the database was behind.');
  readonly udpDropped = new Counter('urbanlink_ingest_udp_dropped_total', 'UDP datagrams dropped while the writer was saturated.');
  readonly udpPeersRefused = new Counter('urbanlink_ingest_udp_peers_refused_total', 'UDP datagrams from new peers dropped because the most UDP sessions allowed were open.');
  readonly subpackageAsks = new Counter('urbanlink_ingest_subpackage_asks_total', 'JT/T 808 0x8003 requests for missing subpackages.');
  readonly subpackageDrops = new Counter('urbanlink_ingest_subpackage_drops_total', 'JT/T 808 split messages given up with packets still missing.');
  readonly connectionsOpened = new Counter('urbanlink_ingest_connections_total', 'TCP connections accepted.');
  readonly connectionsClosed = new Counter('urbanlink_ingest_connections_closed_total', 'Connections closed, by reason.');
  readonly batchSize = new Histogram('urbanlink_ingest_batch_size', 'Positions per committed batch.', BATCH_SIZES);
  readonly commitSeconds = new Histogram('urbanlink_ingest_commit_seconds', 'Time to write and commit one batch.', LATENCY_SECONDS);
  readonly ackSeconds = new Histogram('urbanlink_ingest_ack_seconds', 'From frame received to its ack sent.', LATENCY_SECONDS);
  /** Per-frame counters bound once per protocol. */
  readonly framesInBy = { gt06: this.framesIn.bind({ protocol: 'gt06' }), jt808: this.framesIn.bind({ protocol: 'jt808' }) };
  readonly framesOutBy = { gt06: this.framesOut.bind({ protocol: 'gt06' }), jt808: this.framesOut.bind({ protocol: 'jt808' }) };
  private readonly gauges: Gauge[] = [];

  addGauge(name: string, help: string, read: () => number): void {
    this.gauges.push(new Gauge(name, help, read));
  }

  render(): string {
    const parts = [
      this.framesIn.render(),
      this.framesOut.render(),
      this.badFrames.render(),
      this.lenientFrames.render(),
      this.refused.render(),
      this.positionsStored.render(),
      this.positionsDuplicate.render(),
      this.writeFailures.render(),
      this.inputPauses.render(),
      this.udpDropped.render(),
      this.udpPeersRefused.render(),
      this.subpackageAsks.render(),
      this.subpackageDrops.render(),
      this.connectionsOpened.render(),
      this.connectionsClosed.render(),
      this.batchSize.render(),
      this.commitSeconds.render(),
      this.ackSeconds.render(),
      ...this.gauges.map((gauge) => gauge.render()),
    ];
    return parts.join('\n') + '\n';
  }
}
