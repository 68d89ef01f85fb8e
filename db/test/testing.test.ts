import { describe, expect, it } from 'vitest';
import { createPgClient } from '../src/pg-client.ts';
import { createTestDatabase, TEST_DATABASE_PREFIX, TEST_DATABASE_URL } from '../src/testing.ts';

function deadPid(): number {
  // Above the default pid_max (4 194 304) of Linux, so no process can hold it.
  return 4_194_305 + Math.floor(Math.random() * 1000);
}

describe('test databases', () => {
  it('are created migrated, dropped on request, and left-overs of dead processes are swept', async () => {
    const admin = await createPgClient({ connectionString: TEST_DATABASE_URL, maxConnections: 1 });
    const stale = `${TEST_DATABASE_PREFIX}${deadPid()}_deadbeef`;
    const exists = async (name: string) =>
      (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0;
    try {
      await admin.exec(`CREATE DATABASE ${stale} TEMPLATE template0`);
      const database = await createTestDatabase();
      const name = new URL(database.url).pathname.slice(1);
      expect(name.startsWith(`${TEST_DATABASE_PREFIX}${process.pid}_`)).toBe(true);
      expect(await exists(stale)).toBe(false);
      const applied = await database.client.query<{ n: number }>('SELECT count(*)::int AS n FROM urbanlink_migrations');
      expect(applied.rows[0]!.n).toBeGreaterThan(0);
      await database.drop();
      expect(await exists(name)).toBe(false);
    } finally {
      await admin.exec(`DROP DATABASE IF EXISTS ${stale}`);
      await admin.close();
    }
  });
});
