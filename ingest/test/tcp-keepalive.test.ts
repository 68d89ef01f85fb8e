import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import type { Ingest } from '../src/index.ts';
import { RawTerminal, eventually, startTestIngest } from './helpers.ts';

/**
 * The kernel's timer on the server side of each established connection to `port` (/proc/net/tcp, Linux):
 * timer kind (`tr`: 2 is keep-alive) and seconds until it fires (`tm->when`, in clock ticks of 1/100 s).
 */
async function serverTimers(port: number): Promise<{ kind: number; seconds: number }[]> {
  const table = await readFile('/proc/net/tcp', 'utf8');
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(local) && fields[3] === '01')
    .map((fields) => {
      const [kind, when] = fields[5]!.split(':');
      return { kind: parseInt(kind!, 16), seconds: parseInt(when!, 16) / 100 };
    });
}

describe('terminal TCP connections', () => {
  let db: TestDatabase;
  let ingest: Ingest;

  beforeAll(async () => {
    db = await createTestDatabase();
    ingest = await startTestIngest(db.client, { jt808: false });
  });

  afterAll(async () => {
    await ingest?.close();
    await db?.drop();
  });

  it('have keep-alive on, first probe after 240 s without traffic', async () => {
    const terminal = await RawTerminal.open(ingest.ports.gt06!);
    try {
      const timers = await eventually(() => serverTimers(ingest.ports.gt06!), (found) => found.length === 1);
      expect(timers).toHaveLength(1);
      expect(timers[0]!.kind).toBe(2);
      expect(timers[0]!.seconds).toBeGreaterThan(230);
      expect(timers[0]!.seconds).toBeLessThanOrEqual(240);
    } finally {
      terminal.close();
    }
  });
});
