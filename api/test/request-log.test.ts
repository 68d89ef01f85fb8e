import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { buildApp } from '../src/app.ts';

interface Line {
  level: number;
  msg: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

const INFO = 30;
const DEBUG = 20;

describe('request logging', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const lines: Line[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as Line);
        done();
      },
    });
    app = await buildApp({ client: db.client, logger: pino({ level: 'debug' }, out), config: { adminPassword: 'log-test-password' } });
    app.get('/test/fails', async () => {
      throw new Error('broken on purpose');
    });
    app.get('/test/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      return { ok: true };
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const completed = (url: string) => lines.filter((l) => l.msg === 'request completed' && l.req?.url === url);

  it('logs an ordinary answer at debug only, as one line naming the request', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(lines.filter((l) => l.msg === 'incoming request')).toEqual([]);
    const [line, ...more] = completed('/api/health');
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: DEBUG, req: { method: 'GET', url: '/api/health' }, res: { statusCode: 200 } });
  });

  it('logs an answer of 500 at info', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/fails' });
    expect(response.statusCode).toBe(500);
    expect(completed('/test/fails')).toMatchObject([{ level: INFO, res: { statusCode: 500 } }]);
  });

  it('logs an answer slower than a second at info, with its time', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/slow' });
    expect(response.statusCode).toBe(200);
    const [line] = completed('/test/slow');
    expect(line).toMatchObject({ level: INFO, res: { statusCode: 200 } });
    expect(line!.responseTime).toBeGreaterThan(1_000);
  });
});
