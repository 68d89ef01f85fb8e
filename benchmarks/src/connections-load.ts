/**
 * The terminal side of benchmarks/src/connections.ts, one of several child processes: opens `connections`
 * GT06 terminals at `ratePerS`, logs each in, then each sends a position every `intervalS` (spread over the
 * interval) until `holdS` after the last one connected. Prints one JSON line: connected, acked, p50/p99
 * (latency of the steady state: from one interval after the last connection on).
 */
import { connect } from 'node:net';
import { encodeGt06, type Position } from '@urbanlink/protocols';
import { imeiOf } from './ingest-load.ts';

export interface ConnectionsLoadOptions {
  port: number;
  firstDevice: number;
  connections: number;
  ratePerS: number;
  intervalS: number;
  holdS: number;
}

export interface ConnectionsLoadResult {
  connected: number;
  /** Connection attempts that closed before the login was answered (each is retried). */
  failed: number;
  acked: number;
  p50Ms: number;
  p99Ms: number;
}

const ACK_LENGTH = 10;

async function run(options: ConnectionsLoadOptions): Promise<ConnectionsLoadResult> {
  let connected = 0;
  // Latency counts only once every terminal of this process has connected and reported once: the steady state.
  let measureFrom = Number.POSITIVE_INFINITY;
  let failed = 0;
  let stopping = false;
  const latencies: number[] = [];
  const timers: NodeJS.Timeout[] = [];
  const sockets: ReturnType<typeof connect>[] = [];

  const open = (n: number) => {
    const imei = imeiOf(n);
    const socket = connect({ host: '127.0.0.1', port: options.port, noDelay: true });
    sockets.push(socket);
    let serial = 1;
    let second = 0;
    let sentAt = 0;
    let pending = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.once('connect', () => socket.write(encodeGt06.login(imei, 0)));
    let loggedIn = false;
    // A terminal refused during the connect storm tries again, as real ones do.
    socket.once('close', () => {
      if (loggedIn || stopping) return;
      failed++;
      timers.push(setTimeout(() => open(n), 1_000 + Math.random() * 2_000));
    });
    socket.on('data', (chunk) => {
      // Acks are fixed 10-byte frames; the first answers the login.
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= ACK_LENGTH) {
        const type = pending[3];
        pending = pending.subarray(ACK_LENGTH);
        if (type === 0x01) {
          loggedIn = true;
          connected++;
          const report = () => {
            const position: Position = {
              uniqueId: imei, fixTimeMs: Date.parse('2026-07-01T00:00:00Z') + second++ * 30_000, lat: 30.66, lon: 104.06,
              altitudeM: 0, speedKmh: 30, course: 0, valid: true, satellites: 8, ignition: null, odometerKm: null, fuelL: null,
              alarms: [], attributes: {},
            };
            sentAt = performance.now();
            socket.write(encodeGt06.location(position, serial++));
          };
          timers.push(setTimeout(() => {
            report();
            timers.push(setInterval(report, options.intervalS * 1_000));
          }, Math.random() * options.intervalS * 1_000));
        } else if (sentAt > 0 && sentAt >= measureFrom) {
          latencies.push(performance.now() - sentAt);
        }
      }
    });
  };

  const perTick = Math.max(1, Math.round(options.ratePerS / 10));
  for (let i = 0; i < options.connections; i += perTick) {
    for (let j = i; j < Math.min(options.connections, i + perTick); j++) open(options.firstDevice + j);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  measureFrom = performance.now() + options.intervalS * 1_000;
  await new Promise((resolve) => setTimeout(resolve, options.holdS * 1_000));
  stopping = true;
  for (const timer of timers) clearTimeout(timer);
  const sorted = Float64Array.from(latencies).sort();
  const at = (fraction: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]! : 0);
  const result = { connected, failed, acked: latencies.length, p50Ms: at(0.5), p99Ms: at(0.99) };
  for (const socket of sockets) socket.destroy();
  return result;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ConnectionsLoadOptions;
run(options).then((result) => process.stdout.write(JSON.stringify(result) + '\n'));
