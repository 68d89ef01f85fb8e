import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { buildApp, type AppOptions } from '../src/app.ts';

export const ADMIN_PASSWORD = 'admin-test-password';

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  /** A token of the admin user. */
  adminToken: string;
  close(): Promise<void>;
}

export async function login(app: FastifyInstance, username: string, password: string): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (response.statusCode !== 200) throw new Error(`login as ${username} failed: ${response.statusCode} ${response.body}`);
  return response.json<{ token: string }>().token;
}

/** The whole API over a new database, ready, with the admin signed in. */
export async function buildTestApp(options: Partial<AppOptions> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const app = await buildApp({ client: db.client, logger: false, ...options, config: { adminPassword: ADMIN_PASSWORD, ...options.config } });
  await app.ready();
  const adminToken = await login(app, 'admin', ADMIN_PASSWORD);
  return {
    app,
    db,
    adminToken,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
