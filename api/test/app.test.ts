import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { buildApp } from '../src/app.ts';
import { ADMIN_PASSWORD, bearer, login } from './helper.ts';

describe('app: documents, errors, limits, CORS, metrics', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let token: string;
  const announced: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await buildApp({
      client: db.client,
      logger: false,
      config: { adminPassword: ADMIN_PASSWORD, corsOrigins: ['https://console.example'], bodyLimitBytes: 2048, announce: (text) => announced.push(text) },
      extraMetrics: () => '# TYPE urbanlink_ingest_frames_total counter\nurbanlink_ingest_frames_total 42\n',
    });
    // A route that fails the way a bug would, with a database error's details in its message.
    app.get('/api/test-fault', async () => {
      throw new Error('relation "secret_table" does not exist');
    });
    await app.ready();
    token = await login(app, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('documents every route in the OpenAPI document, with the docs page beside it', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    for (const path of ['/api/auth/login', '/api/devices', '/api/devices/{id}', '/api/devices/{id}/positions', '/api/positions/latest', '/api/devices/{id}/commands', '/api/commands/{id}', '/api/users', '/api/units', '/api/audit']) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    expect(document.paths['/api/devices'].post.requestBody).toBeDefined();
    // OpenAPI cannot describe the WebSocket, so its protocol is in the document's description.
    expect(document.info.description).toContain('/api/live');
    expect((await app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });

  it('creates the admin with the configured password and announces nothing', () => {
    expect(announced).toEqual([]);
  });

  it('hides a server fault behind a 500 without its details', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/test-fault', headers: bearer(token) });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret_table');
  });

  it('answers 404 for unknown routes, 413 for oversized bodies, 400 for malformed JSON', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/nothing-here', headers: bearer(token) })).statusCode).toBe(404);
    const big = await app.inject({ method: 'POST', url: '/api/units', headers: bearer(token), payload: { name: 'x'.repeat(4000), kind: 'city' } });
    expect(big.statusCode).toBe(413);
    const broken = await app.inject({ method: 'POST', url: '/api/units', headers: { ...bearer(token), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(broken.statusCode).toBe(400);
  });

  it('allows only the configured CORS origins', async () => {
    const allowed = await app.inject({ method: 'OPTIONS', url: '/api/devices', headers: { origin: 'https://console.example', 'access-control-request-method': 'GET' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://console.example');
    const other = await app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('includes the caller-provided metrics', async () => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('urbanlink_ingest_frames_total 42');
    expect(text).toMatch(/^urbanlink_http_request_duration_seconds_count\{method="POST",route="\/api\/auth\/login"\} 1$/m);
  });
});

describe('app: first start without a configured admin password', () => {
  it('generates one, announces it once, and it works', async () => {
    const db = await createTestDatabase();
    const announced: string[] = [];
    try {
      for (let start = 0; start < 2; start++) {
        const app = await buildApp({ client: db.client, logger: false, config: { announce: (text) => announced.push(text) } });
        await app.ready();
        await app.close();
      }
      expect(announced).toHaveLength(1);
      const password = /password: (\S+)/.exec(announced[0]!)![1]!;
      expect(announced[0]).toContain('初始密码');
      const app = await buildApp({ client: db.client, logger: false });
      await app.ready();
      expect(await login(app, 'admin', password)).toMatch(/^[\w-]{40,}$/);
      await app.close();
    } finally {
      await db.drop();
    }
  });
});
