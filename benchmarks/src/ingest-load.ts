/**
 * The load side of benchmarks/src/ingest.ts, run as a child process so terminals and server do not share a
 * thread. Opens GT06 connections, logs each in, then keeps `window` positions in flight per connection
 * (rate 0: as fast as acks return) or sends at a fixed total rate; prints one JSON line of results.
 * Usage: node --import tsx src/ingest-load.ts '{"port":5023,"connections":200,...}'
 */
import { connect, type Socket } from 'node:net';
import { corkUntilNextTick } from '@urbanlink/ingest';
import { crc16X25, createGt06Splitter, encodeGt06, type Position } from '@urbanlink/protocols';

export interface LoadOptions {
  host: string;
  port: number;
  /** uniqueIds are `imeiOf(firstDevice + i)`. */
  firstDevice: number;
  connections: number;
  /** Positions in flight per connection in max-rate mode. */
  window: number;
  /** Total positions per second over all connections; 0 = as fast as the server acknowledges. */
  rate: number;
  warmupS: number;
  durationS: number;
  /** Fix time of each connection's first position (one a second after it): a later run must not resend. */
  firstFixTimeMs: number;
}

export interface LoadResult {
  acked: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time this load generator used while measuring, as a fraction of one core. */
  cpuCores: number;
}

export function imeiOf(n: number): string {
  return `35${String(n).padStart(13, '0')}`;
}

/** The n-th position of a connection: one a second, moving along a short line that repeats every 1 000 s. */
export function positionOf(imei: string, firstFixTimeMs: number, n: number): Position {
  const step = (n + 1) % 1000;
  return {
    uniqueId: imei,
    fixTimeMs: firstFixTimeMs + n * 1_000,
    lat: 30.66 + step * 1e-5,
    lon: 104.06 + step * 1e-5,
    altitudeM: 0,
    speedKmh: 40,
    course: 90,
    valid: true,
    satellites: 9,
    ignition: null,
    odometerKm: null,
    fuelL: null,
    alarms: [],
    attributes: {},
  };
}

// A short GT06 0x12 frame: 78 78 LEN 12 | time 6 | sats 1 | lat 4 | lon 4 | speed, course/status 3 | cell 8 |
// serial 2 | CRC 2 | 0D 0A. The generator encodes the frame once per step of the repeating line and then
// writes only time, serial and CRC into a copy: on this 2-core machine every µs the terminals' side spends
// is taken from the server it measures, and a real terminal's CPU is not UrbanLink's. `locationFrame` is
// checked against encodeGt06.location at start.
const TIME_AT = 4;
const steps = new Map<number, Buffer>();

function locationFrame(imei: string, firstFixTimeMs: number, n: number, serial: number): Buffer {
  const step = (n + 1) % 1000;
  let template = steps.get(step);
  if (!template) {
    template = encodeGt06.location(positionOf(imei, firstFixTimeMs, n), 1);
    steps.set(step, template);
  }
  const frame = Buffer.from(template);
  const time = new Date(firstFixTimeMs + n * 1_000);
  frame[TIME_AT] = time.getUTCFullYear() - 2000;
  frame[TIME_AT + 1] = time.getUTCMonth() + 1;
  frame[TIME_AT + 2] = time.getUTCDate();
  frame[TIME_AT + 3] = time.getUTCHours();
  frame[TIME_AT + 4] = time.getUTCMinutes();
  frame[TIME_AT + 5] = time.getUTCSeconds();
  frame.writeUInt16BE(serial, frame.length - 6);
  frame.writeUInt16BE(crc16X25(frame, 2, frame.length - 4), frame.length - 4);
  return frame;
}

function checkLocationFrames(firstFixTimeMs: number): void {
  for (const n of [0, 1, 999, 1000, 86_399, 86_400, 1_000_003]) {
    const expected = encodeGt06.location(positionOf(imeiOf(1), firstFixTimeMs, n), n % 0xffff || 1);
    if (!locationFrame(imeiOf(1), firstFixTimeMs, n, n % 0xffff || 1).equals(expected)) {
      throw new Error(`the load generator's frame ${n} differs from encodeGt06.location`);
    }
  }
}

class Connection {
  private readonly socket: Socket;
  private readonly imei: string;
  private readonly splitter = createGt06Splitter();
  private serial = 1;
  private second = 0;
  private readonly firstFixTimeMs: number;
  private readonly sentAt = new Map<number, number>();
  onAck: (latencyMs: number) => void = () => {};
  ready: Promise<void>;

  constructor(options: LoadOptions, n: number) {
    this.imei = imeiOf(n);
    this.firstFixTimeMs = options.firstFixTimeMs;
    this.socket = connect({ host: options.host, port: options.port, noDelay: true });
    this.socket.on('error', () => {});
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => this.socket.write(encodeGt06.login(this.imei, 0)));
      this.socket.once('close', () => reject(new Error(`connection ${this.imei} closed`)));
      this.socket.on('data', (chunk) =>
        this.splitter.push(chunk, (frame) => {
          const serial = frame.readUInt16BE(4);
          if (frame[3] === 0x01) {
            resolve();
            return;
          }
          const at = this.sentAt.get(serial);
          if (at === undefined) return;
          this.sentAt.delete(serial);
          this.onAck(performance.now() - at);
        }),
      );
    });
  }

  get inFlight(): number {
    return this.sentAt.size;
  }

  send(): void {
    const serial = this.serial;
    this.serial = (this.serial % 0xffff) + 1;
    const frame = locationFrame(this.imei, this.firstFixTimeMs, this.second++, serial);
    this.sentAt.set(serial, performance.now());
    // Frames sent in one tick (the answers to one read of acks) leave in one write, as a terminal emptying its
    // backlog sends them back to back.
    corkUntilNextTick(this.socket);
    this.socket.write(frame);
  }

  close(): void {
    this.socket.destroy();
  }
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  checkLocationFrames(options.firstFixTimeMs);
  const connections: Connection[] = [];
  for (let i = 0; i < options.connections; i++) connections.push(new Connection(options, options.firstDevice + i));
  await Promise.all(connections.map((c) => c.ready));
  let measuring = false;
  let acked = 0;
  const latencies: number[] = [];
  for (const connection of connections) {
    connection.onAck = (ms) => {
      if (measuring) {
        acked++;
        latencies.push(ms);
      }
      if (options.rate === 0) connection.send();
    };
  }
  let pacer: NodeJS.Timeout | undefined;
  if (options.rate === 0) {
    for (const connection of connections) for (let i = 0; i < options.window; i++) connection.send();
  } else {
    // Every 10 ms, each connection sends its share; fractional shares carry over.
    const perTick = options.rate / 100;
    let owed = 0;
    let next = 0;
    pacer = setInterval(() => {
      owed += perTick;
      while (owed >= 1) {
        connections[next]!.send();
        next = (next + 1) % connections.length;
        owed--;
      }
    }, 10);
  }
  await new Promise((resolve) => setTimeout(resolve, options.warmupS * 1_000));
  measuring = true;
  // The parent (benchmarks/src/ingest.ts) reads its own CPU at these two moments: UrbanLink's, measured over
  // exactly the window the rate is counted in.
  process.send?.('measuring');
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, options.durationS * 1_000));
  measuring = false;
  process.send?.('measured');
  const seconds = (performance.now() - started) / 1_000;
  const cpu = process.cpuUsage(cpuStart);
  if (pacer) clearInterval(pacer);
  for (const connection of connections) connection.onAck = () => {};
  for (const connection of connections) connection.close();
  const sorted = Float64Array.from(latencies).sort();
  return {
    acked,
    seconds,
    perSecond: acked / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : 0,
    cpuCores: (cpu.user + cpu.system) / 1e6 / seconds,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  runLoad(options).then(
    (result) => process.stdout.write(JSON.stringify(result) + '\n'),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
