import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openSqlClient, type SqlClient } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { buildApp } from '../src/app.ts';
import { ADMIN_PASSWORD, bearer, login } from './helper.ts';

/** A database with no free connection is a passing condition: 503 with Retry-After, not a 500. */
describe('answers while the database has no connection to give', () => {
  let db: TestDatabase;
  let client: SqlClient;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    // A pool of one: a transaction held open leaves nothing for a request.
    client = await openSqlClient({ databaseUrl: db.url, dataDir: 'memory://', maxConnections: 1 });
    app = await buildApp({ client, logger: false, config: { adminPassword: ADMIN_PASSWORD } });
    await app.ready();
    token = await login(app, 'admin', ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await app?.close();
    await client?.close();
    await db?.drop();
  });

  it('answers 503 with Retry-After while every connection is taken, and 200 once one is free', async () => {
    let release!: () => void;
    const held = client.transaction(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      const busy = await app.inject({ method: 'GET', url: '/api/devices', headers: bearer(token) });
      expect(busy.statusCode).toBe(503);
      expect(busy.headers['retry-after']).toBe('5');
      expect(busy.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('database is unavailable or busy') });
    } finally {
      release();
      await held;
    }
    const free = await app.inject({ method: 'GET', url: '/api/devices', headers: bearer(token) });
    expect(free.statusCode).toBe(200);
  }, 20_000);
});
