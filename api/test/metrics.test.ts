import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPglite } from '@urbanlink/db/testing';
import { buildApp } from '../src/app.ts';
import { ADMIN_PASSWORD, buildTestApp, type TestApp } from './helper.ts';

/** The value of one series in a /metrics text, or undefined when it is absent. */
function series(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('metrics: the database pool on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  const scrape = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;

  it('counts busy and idle connections, with no caller waiting', async () => {
    let finish!: () => void;
    let begun!: () => void;
    const inTransaction = new Promise<void>((resolve) => (begun = resolve));
    const held = t.db.client.transaction(async () => {
      begun();
      await new Promise<void>((resolve) => (finish = resolve));
    });
    await inTransaction;
    const during = await scrape();
    finish();
    await held;
    const after = await scrape();
    expect(during).toContain('# TYPE urbanlink_db_pool_connections gauge');
    expect(series(during, 'urbanlink_db_pool_connections{state="busy"}')).toBeGreaterThanOrEqual(1);
    // The test database's pool has at most 4 connections; the probe's own is back in the pool when read.
    for (const text of [during, after]) {
      const busy = series(text, 'urbanlink_db_pool_connections{state="busy"}')!;
      const idle = series(text, 'urbanlink_db_pool_connections{state="idle"}')!;
      expect(idle).toBeGreaterThanOrEqual(1);
      expect(busy + idle).toBeLessThanOrEqual(4);
      expect(series(text, 'urbanlink_db_pool_waiting')).toBe(0);
    }
    expect(series(after, 'urbanlink_db_pool_connections{state="busy"}')).toBeLessThan(series(during, 'urbanlink_db_pool_connections{state="busy"}')!);
  });
});

describe('metrics: no pool on PGlite', () => {
  it('leaves the pool series out and still probes the database', async () => {
    const client = await createTestPglite();
    const app = await buildApp({ client, logger: false, config: { adminPassword: ADMIN_PASSWORD } });
    try {
      await app.ready();
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(series(text, 'urbanlink_db_up{engine="pglite"}')).toBe(1);
      expect(text).not.toContain('urbanlink_db_pool');
    } finally {
      await app.close();
      await client.close();
    }
  });
});
