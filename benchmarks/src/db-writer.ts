/**
 * Position writer: batches of fixes from many devices into PostgreSQL (native day partitions), three ways
 * in one run, interleaved batch by batch so that a busy machine slows them alike:
 *   - copy:   COPY into a temporary table, then INSERT … SELECT … ON CONFLICT DO NOTHING (one transaction)
 *   - unnest: one INSERT … SELECT FROM unnest(column arrays) ON CONFLICT DO NOTHING (one transaction)
 *   - direct: COPY straight into positions, previous fixes remembered in memory as ingest does (the COPY alone,
 *             its own transaction: no BEGIN/COMMIT round trips)
 *   - baseline: one autocommitted INSERT per row
 * copy and unnest also look up each device's previous fix for the distance figures, as writers without
 * a memory of the last fixes do.
 * Run: node --import tsx benchmarks/src/db-writer.ts   (BENCH_DATABASE_URL or TEST_DATABASE_URL picks the server)
 * Knobs: WRITER_DEVICES (2000), WRITER_BATCH (500), WRITER_ROUNDS (20), WRITER_BASELINE_ROWS (2000).
 */
import { insertDevice, maintainPartitions, writePositions, writePositionsRowByRow } from '@urbanlink/db';
import type { LastFixes, PositionInput, SqlClient, WriteMethod } from '@urbanlink/db';
import { createTestDatabase } from '@urbanlink/db/testing';
import type { Position } from '@urbanlink/protocols';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

const DEVICES = Number(process.env.WRITER_DEVICES ?? 2000);
const BATCH = Number(process.env.WRITER_BATCH ?? 500);
const ROUNDS = Number(process.env.WRITER_ROUNDS ?? 20);
const BASELINE_ROWS = Number(process.env.WRITER_BASELINE_ROWS ?? 2000);
const START_MS = Date.now() - 3_600_000;

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

/** A realistic fix: the fields a JT/T 808 0x0200 carries, a few attributes. */
function position(fixTimeMs: number): Position {
  return {
    uniqueId: '',
    fixTimeMs,
    lat: 22.5 + random() * 0.4,
    lon: 113.8 + random() * 0.6,
    altitudeM: Math.round(random() * 80),
    speedKmh: Math.round(random() * 600) / 10,
    course: Math.floor(random() * 360),
    valid: true,
    satellites: 8 + Math.floor(random() * 6),
    ignition: true,
    odometerKm: Math.round(random() * 1e6) / 10,
    fuelL: null,
    alarms: random() < 0.02 ? ['overspeed'] : [],
    attributes: { status: 0x000c0003, signal: 28, io: { in1: false } },
  };
}

const METHODS: WriteMethod[] = ['copy', 'unnest', 'direct'];
// Lanes: 0 copy, 1 unnest, 2 baseline, 3 direct.
const LANE: Record<WriteMethod, number> = { copy: 0, unnest: 1, direct: 3 };

/** Each method gets its own second of the hour per batch, so no method ever meets another's rows. */
function batchFor(deviceIds: number[], round: number, lane: number, size: number): PositionInput[] {
  const at = START_MS + (round * 4 + lane) * 1000;
  return Array.from({ length: size }, (_, i) => ({
    deviceId: deviceIds[(((round * size + i) % deviceIds.length) + deviceIds.length) % deviceIds.length]!,
    position: position(at),
  }));
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const client: SqlClient = database.client;
  try {
    await maintainPartitions(client, { nowMs: Date.now(), aheadDays: 1, retentionDays: 0 });
    const deviceIds: number[] = [];
    for (let i = 0; i < DEVICES; i++) {
      deviceIds.push((await insertDevice(client, { uniqueId: `8690000${String(i).padStart(8, '0')}`, name: `v${i}` }))!.id);
    }
    const lastFixes: LastFixes = new Map();
    const optionsFor = (method: WriteMethod) => (method === 'direct' ? { method, lastFixes } : { method });
    // Warm-up: plans, the temporary table, the first pages of each index, the remembered fixes.
    for (const method of METHODS) {
      await writePositions(client, batchFor(deviceIds, method === 'direct' ? -1 : ROUNDS, LANE[method], BATCH), optionsFor(method));
    }
    const elapsed: Record<string, number> = { copy: 0, unnest: 0, direct: 0, baseline: 0 };
    const rows: Record<string, number> = { copy: 0, unnest: 0, direct: 0, baseline: 0 };
    const baselinePerRound = Math.ceil(BASELINE_ROWS / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const method of METHODS) {
        const batch = batchFor(deviceIds, round, LANE[method], BATCH);
        elapsed[method]! += await timed(async () => {
          const { inserted } = await writePositions(client, batch, optionsFor(method));
          if (inserted.some((fresh) => !fresh)) throw new Error(`${method} reported a duplicate that was not one`);
        });
        rows[method]! += batch.length;
      }
      const batch = batchFor(deviceIds, round, 2, baselinePerRound);
      elapsed.baseline! += await timed(() => writePositionsRowByRow(client, batch));
      rows.baseline! += batch.length;
    }
    // A resent batch: every row a duplicate, which both methods must skip and report.
    const resent = batchFor(deviceIds, 0, 0, BATCH);
    const resendMs = await timed(async () => {
      const { inserted } = await writePositions(client, resent, { method: 'unnest' });
      if (inserted.some(Boolean)) throw new Error('a resent row was stored twice');
    });

    const rate = (name: string) => (rows[name]! / elapsed[name]!) * 1000;
    console.log(`position writer, PostgreSQL ${DEVICES} devices, batches of ${BATCH}, ${ROUNDS} rounds interleaved`);
    console.log('method     rows/s   ms/batch   × baseline');
    for (const name of METHODS) {
      console.log(
        `${name.padEnd(8)} ${rate(name).toFixed(0).padStart(8)} ${(elapsed[name]! / ROUNDS).toFixed(1).padStart(10)} ${(rate(name) / rate('baseline')).toFixed(1).padStart(12)}`,
      );
    }
    console.log(`baseline ${rate('baseline').toFixed(0).padStart(8)}   (one autocommitted INSERT per row, ${rows.baseline} rows)`);
    console.log(`unnest/copy: ${(rate('unnest') / rate('copy')).toFixed(2)}; direct/copy: ${(rate('direct') / rate('copy')).toFixed(2)}; an all-duplicate batch of ${BATCH}: ${resendMs.toFixed(1)} ms`);
  } finally {
    await database.drop();
  }
}

await main();
