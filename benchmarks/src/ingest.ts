/**
 * End-to-end ingest throughput: simulated GT06 terminals over loopback (a child process) → UrbanLink
 * (sessions, group commit, MQTT publish) → PostgreSQL on this machine. Printed beside two baselines on the
 * same database in the same run: COPY of the same rows from a file (the ceiling) and one INSERT per position
 * in autocommit. Then the ack latency at half the maximum rate.
 * Run: npm run -w @urbanlink/benchmarks ingest   (BENCH_DATABASE_URL or TEST_DATABASE_URL picks the server)
 * The script runs with --max-semi-space-size=32, and lowers its background threads to nice 10
 * (BACKGROUND_THREADS_NICE), as `urbanlink start` runs the server.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { pino } from 'pino';
import { insertDevice, POSITION_COLUMNS, toCopyBinary, toPositionRow, type PositionRow, type SqlClient } from '@urbanlink/db';
import { createTestDatabase } from '@urbanlink/db/testing';
import { createSqlStore, startEmbeddedBroker, startIngest, topics } from '@urbanlink/ingest';
import { decodeGt06, encodeGt06 } from '@urbanlink/protocols';
import { imeiOf, positionOf, type LoadOptions, type LoadResult } from './ingest-load.ts';
import { lowerThreadsAsStartDoes } from './server-threads.ts';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
// Positions in flight per connection at the maximum rate: 200 × 50 = 10 000, the backlog a fleet sends when its
// network comes back, enough that the rate measures what UrbanLink can store rather than the round trip (with
// 10 in flight, the acks' round trip set the rate while UrbanLink's process still had idle time).
const WINDOW = Number(process.env.BENCH_WINDOW ?? 50);
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const COPY_ROWS = Number(process.env.BENCH_COPY_ROWS ?? 200_000);
const PER_ROW_SECONDS = 5;
const LOAD_SCRIPT = fileURLToPath(new URL('./ingest-load.ts', import.meta.url));

// The baselines are plain SQL on purpose: they measure the database, not UrbanLink. They store the same rows
// UrbanLink does (every column it writes, the simulator's values) into the same table with the same indexes.
const INSERT_ONE = `INSERT INTO positions (${POSITION_COLUMNS.join(', ')})
  VALUES ($1::integer, $2::timestamptz, $3::integer, $4::integer, $5::real, $6::real, $7::smallint, $8::boolean,
          $9::smallint, $10::boolean, $11::double precision, $12::real, $13::text[], $14::jsonb, $15::real, $16::real, $17::real)
  ON CONFLICT DO NOTHING`;

// Each baseline row's distance, moving time and time on duty: figures that only fill the columns.
const BASELINE_MOTION = { distanceM: 1.5, movingS: 1, onDutyS: 1 };

/**
 * The load generator's n-th position of a terminal as UrbanLink decodes it from the frame, made into the row
 * the writer stores for `deviceId`: the same rows, cell fields in `attributes` included (the position the
 * generator starts from has none, and a jsonb of `{}` is cheaper for the database to take in).
 */
function baselineRow(deviceId: number, firstFixTimeMs: number, n: number): PositionRow {
  const decoded = decodeGt06(encodeGt06.location(positionOf('', firstFixTimeMs, n), 1));
  if (!('position' in decoded)) throw new Error('the load generator\'s frame does not decode to a position');
  return toPositionRow(deviceId, decoded.position, BASELINE_MOTION);
}

/** The row's values in POSITION_COLUMNS order, for the INSERT and for COPY's text format. */
function baselineValues(row: PositionRow): unknown[] {
  return [row.deviceId, new Date(row.fixTimeMs).toISOString(), row.latE6, row.lonE6, row.altitudeM, row.speedKmh, row.course, row.valid, row.satellites, row.ignition, row.odometerKm, row.fuelL, '{}', row.attributes, row.distanceM, row.movingS, row.onDutyS];
}

interface CopyCeiling {
  text: number;
  binary: number;
}

/**
 * COPY of COPY_ROWS rows from a file into positions, in text format at `base` and in binary format (what
 * UrbanLink sends) a day later; rows per second of each. The file is written before the clock starts.
 */
async function copyCeiling(client: SqlClient, deviceIds: number[], base: number): Promise<CopyCeiling> {
  const rowsFrom = (start: number) =>
    Array.from({ length: COPY_ROWS }, (_, i) => baselineRow(deviceIds[i % deviceIds.length]!, start, Math.floor(i / deviceIds.length)));
  const dir = mkdtempSync(join(tmpdir(), 'urbanlink-bench-'));
  try {
    const textFile = join(dir, 'positions.txt');
    const textLines = rowsFrom(base).map((row) => baselineValues(row).map((value) => (value === null ? '\\N' : value === true ? 't' : String(value))).join('\t'));
    writeFileSync(textFile, textLines.join('\n') + '\n');
    const binaryFile = join(dir, 'positions.bin');
    writeFileSync(binaryFile, toCopyBinary(rowsFrom(base + 86_400_000)));
    const timed = async (copy: () => Promise<boolean>) => {
      const started = performance.now();
      if (!(await copy())) throw new Error('this engine has no COPY; run the benchmark on PostgreSQL');
      return COPY_ROWS / ((performance.now() - started) / 1_000);
    };
    const text = await timed(() => client.transaction((tx) => tx.copyText('positions', POSITION_COLUMNS, readFileSync(textFile, 'utf8'))));
    const binary = await timed(() => client.transaction((tx) => tx.copyBinary('positions', POSITION_COLUMNS, readFileSync(binaryFile))));
    return { text, binary };
  } finally {
    rmSync(dir, { recursive: true });
  }
}

async function perRowBaseline(client: SqlClient, deviceIds: number[], base: number): Promise<number> {
  let rows = 0;
  const started = performance.now();
  while (performance.now() - started < PER_ROW_SECONDS * 1_000) {
    const deviceId = deviceIds[rows % deviceIds.length]!;
    await client.query(INSERT_ONE, baselineValues(baselineRow(deviceId, base, Math.floor(rows / deviceIds.length))));
    rows++;
  }
  return rows / ((performance.now() - started) / 1_000);
}

/**
 * A CHECKPOINT, so that the next phase starts with none of the last one's data waiting to be written. The
 * kernel writes a file's dirty pages back 30 s after the first of them (vm.dirty_expire_centisecs), all at
 * once. All phases write into the same partition, so the file first dirtied by the baseline COPY was written
 * back, with the maximum-rate phase's pages too, in the middle of the half-rate phase. Every commit waited
 * 100–200 ms behind that (vmstat showed 600 MB written in one second).
 */
async function writeBackDirtyPages(client: SqlClient): Promise<void> {
  try {
    await client.exec('CHECKPOINT');
  } catch (error) {
    // CHECKPOINT needs a superuser or pg_checkpoint; without it the phases run, and a writeback may land in one.
    if ((error as { code?: string }).code !== '42501') throw error;
    process.stderr.write('note: this user may not CHECKPOINT, so one phase\'s writeback may fall into the next\n');
  }
}

/** What this process (UrbanLink) and the machine used between two moments. */
interface Usage {
  cpu: NodeJS.CpuUsage;
  ticks: { busy: number; total: number };
  at: number;
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

const usageNow = (): Usage => ({ cpu: process.cpuUsage(), ticks: machineTicks(), at: performance.now() });

interface Measured extends LoadResult {
  /** UrbanLink's CPU (this process) during the measured window, in cores. */
  serverCores: number;
  /** The whole machine's busy share during the measured window (all cores). */
  machineBusy: number;
}

/** Runs the load generator and reads, over the window it measures, the CPU this process and the machine used. */
function measured(options: LoadOptions): Promise<Measured> {
  return new Promise((resolve, reject) => {
    // BENCH_LOAD_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the load generator too.
    const nodeArgs = process.env.BENCH_LOAD_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', LOAD_SCRIPT, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    let from: Usage | undefined;
    let to: Usage | undefined;
    child.on('message', (message) => {
      if (message === 'measuring') from = usageNow();
      if (message === 'measured') to = usageNow();
    });
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.once('close', (code) => {
      if (code !== 0 || !from || !to) {
        reject(new Error(`load generator exited ${code}`));
        return;
      }
      const used = process.cpuUsage(from.cpu);
      const later = process.cpuUsage(to.cpu);
      const seconds = (to.at - from.at) / 1_000;
      const total = to.ticks.total - from.ticks.total;
      resolve({
        ...(JSON.parse(out) as LoadResult),
        serverCores: (used.user + used.system - later.user - later.system) / 1e6 / seconds,
        machineBusy: total > 0 ? (to.ticks.busy - from.ticks.busy) / total : 0,
      });
    });
  });
}

function cpuModel(): string {
  try {
    return execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).toString().trim();
  } catch {
    return 'unknown CPU';
  }
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  try {
    const deviceIds: number[] = [];
    for (let n = 1; n <= CONNECTIONS; n++) deviceIds.push((await insertDevice(db.client, { uniqueId: imeiOf(n), name: `bench ${n}`, protocol: 'gt06' }))!.id);

    // Both baselines are measured before and after the end-to-end runs, as the machine's load drifts; the
    // ratios use the means.
    const copyBefore = await copyCeiling(db.client, deviceIds, Date.parse('2026-05-01T00:00:00Z'));
    const perRowBefore = await perRowBaseline(db.client, deviceIds, Date.parse('2026-04-01T00:00:00Z'));
    await writeBackDirtyPages(db.client);

    const broker = await startEmbeddedBroker();
    // As `urbanlink start` runs with the embedded broker: ingest publishes on the bus in this process, and the
    // API in the same process takes every position (as a value) and every event from it (here a counter stands
    // in for the API's inbox, which only queues each message for later).
    const bus = broker.localBus();
    let delivered = 0;
    const count = () => {
      delivered++;
    };
    bus.subscribePositions(count);
    await bus.subscribe(topics.event('+'), count);
    const ingest = await startIngest({
      store: createSqlStore(db.client),
      bus: process.env.BENCH_NO_BUS ? undefined : bus,
      logger: pino({ level: 'warn' }),
      gt06: { port: 0, host: '127.0.0.1', udp: false },
      jt808: false,
      metricsLogMs: 0,
      // Ingest's own defaults (INGEST_BATCH_MAX_SIZE, INGEST_WRITE_CONCURRENCY) unless these say otherwise.
      ...(process.env.BENCH_BATCH_MAX && { batchMaxSize: Number(process.env.BENCH_BATCH_MAX) }),
      ...(process.env.BENCH_WRITE_CONCURRENCY && { writeConcurrency: Number(process.env.BENCH_WRITE_CONCURRENCY) }),
      ...(process.env.BENCH_BATCH_WINDOW_MS && { batchWindowMs: Number(process.env.BENCH_BATCH_WINDOW_MS) }),
    });
    const threads = await lowerThreadsAsStartDoes("UrbanLink's");
    const load = { host: '127.0.0.1', port: ingest.ports.gt06!, firstDevice: 1, connections: CONNECTIONS, window: WINDOW, warmupS: 2, durationS: DURATION_S };
    const commits = ingest.metrics.commitSeconds;
    const batches = ingest.metrics.batchSize;
    const writesOf = () => ({ batches: batches.count, positions: batches.sum, commitS: commits.sum });
    const atStart = writesOf();
    const max = await measured({ ...load, rate: 0, firstFixTimeMs: Date.parse('2026-06-01T00:00:00Z') });
    const atMax = writesOf();
    // What holds UrbanLink's event loop at half rate: every ack waits for the loop as well as for its commit.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    const gcPausesMs: number[] = [];
    const gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcPausesMs.push(entry.duration);
    });
    gcObserver.observe({ entryTypes: ['gc'] });
    loopDelay.enable();
    // A day later: reusing the first run's fix times would make every position a resend (stored, not new).
    const half = await measured({ ...load, rate: Math.round(max.perSecond / 2), firstFixTimeMs: Date.parse('2026-06-02T00:00:00Z') });
    loopDelay.disable();
    gcObserver.disconnect();
    const atHalf = writesOf();
    // Mean batch size and write time (commit and publish) between two snapshots.
    const writes = (from: typeof atStart, to: typeof atStart) => {
      const n = to.batches - from.batches;
      return `mean batch ${(n ? (to.positions - from.positions) / n : 0).toFixed(0)} positions, mean write ${(n ? ((to.commitS - from.commitS) / n) * 1_000 : 0).toFixed(1)} ms`;
    };
    // Every position of both runs must be a new row; a resend would be acknowledged without being written.
    const duplicates = ingest.metrics.positionsDuplicate.get();
    await ingest.close();
    await bus.close();
    await broker.close();
    await writeBackDirtyPages(db.client);
    const copyAfter = await copyCeiling(db.client, deviceIds, Date.parse('2026-05-10T00:00:00Z'));
    // The ceiling is the faster format at each moment; UrbanLink itself sends binary.
    const ceilingBefore = Math.max(copyBefore.text, copyBefore.binary);
    const ceilingAfter = Math.max(copyAfter.text, copyAfter.binary);
    const copyPerSecond = (ceilingBefore + ceilingAfter) / 2;
    const perRowAfter = await perRowBaseline(db.client, deviceIds, Date.parse('2026-04-10T00:00:00Z'));
    const perRowPerSecond = (perRowBefore + perRowAfter) / 2;

    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    process.stdout.write(
      [
        `ingest benchmark — ${cpuModel()}, ${CONNECTIONS} GT06 connections over loopback, PostgreSQL on this machine`,
        `  ${threads}`,
        '',
        `  baseline COPY from a file (ceiling)      ${f(copyPerSecond).padStart(10)} rows/s   (${f(ceilingBefore)} before, ${f(ceilingAfter)} after; the faster format each time)`,
        `      text format   ${f(copyBefore.text)} before, ${f(copyAfter.text)} after;  binary format ${f(copyBefore.binary)} before, ${f(copyAfter.binary)} after`,
        `  baseline one INSERT per row, autocommit  ${f(perRowPerSecond).padStart(10)} rows/s   (${f(perRowBefore)} before, ${f(perRowAfter)} after)`,
        `  UrbanLink end to end, max rate           ${f(max.perSecond).padStart(10)} positions/s   ack p50 ${max.p50Ms.toFixed(1)} ms  p99 ${max.p99Ms.toFixed(1)} ms`,
        `      ${writes(atStart, atMax)}`,
        `      CPU: UrbanLink ${max.serverCores.toFixed(2)} cores (${((max.serverCores / max.perSecond) * 1e6).toFixed(1)} µs a position), load generator ${max.cpuCores.toFixed(2)}, machine ${(max.machineBusy * 100).toFixed(0)}% busy`,
        `  UrbanLink at half the max rate           ${f(half.perSecond).padStart(10)} positions/s   ack p50 ${half.p50Ms.toFixed(1)} ms  p99 ${half.p99Ms.toFixed(1)} ms  max ${half.maxMs.toFixed(1)} ms`,
        `      ${writes(atMax, atHalf)}`,
        `      event loop: delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms (1 ms resolution); GC ${gcPausesMs.length} pauses, ${gcPausesMs.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, longest ${Math.max(0, ...gcPausesMs).toFixed(1)} ms (warm-up included)`,
        `      CPU: UrbanLink ${half.serverCores.toFixed(2)} cores (${((half.serverCores / half.perSecond) * 1e6).toFixed(1)} µs a position), load generator ${half.cpuCores.toFixed(2)}, machine ${(half.machineBusy * 100).toFixed(0)}% busy`,
        '',
        `  positions acknowledged as resends (not new rows): ${duplicates}`,
        `  live bus: ${f(delivered)} messages delivered to the subscriber in this process`,
        `  end to end / COPY ceiling   ${(max.perSecond / copyPerSecond).toFixed(2)}×   (target ≥ 0.5)`,
        `  end to end / per-row INSERT ${(max.perSecond / perRowPerSecond).toFixed(1)}×   (target ≥ 20)`,
        `  p99 ack latency at half rate ${half.p99Ms.toFixed(1)} ms   (target < 100 ms)`,
        '',
      ].join('\n'),
    );
  } finally {
    await db.drop();
  }
}

await main();
