import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRecord } from '@urbanlink/db';
import { bearer, buildTestApp, type TestApp } from './helper.ts';
import { addDevice, position, storePositions } from './track-http-fixtures.ts';

const T0 = Date.UTC(2026, 10, 28, 0, 0, 0);

describe('GET /api/devices/{id}/positions cut at its limit', () => {
  let t: TestApp;
  let car: DeviceRecord;

  beforeAll(async () => {
    t = await buildTestApp();
    car = await addDevice(t.db.client, null);
    // 25 fixes a second apart.
    await storePositions(t.db.client, car.id, Array.from({ length: 25 }, (_, i) => position(T0 + i * 1000, 22.5, 114 + i / 1e4, 30)));
  });
  afterAll(async () => t?.close());

  const get = (url: string) => t.app.inject({ url, headers: bearer(t.adminToken) });

  it('links the next page until the period is exhausted, every fix exactly once', async () => {
    const to = new Date(T0 + 3_600_000).toISOString();
    let url: string | null = `/api/devices/${car.id}/positions?from=${new Date(T0).toISOString()}&to=${to}&limit=10`;
    const pages: string[][] = [];
    while (url) {
      const response = await get(url);
      expect(response.statusCode).toBe(200);
      pages.push(response.json<{ fixTime: string }[]>().map((fix) => fix.fixTime));
      const link = response.headers.link as string | undefined;
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
      if (url) expect(new URL(url, 'http://x').searchParams.get('to')).toBe(to);
    }
    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, i) => new Date(T0 + i * 1000).toISOString()));
  });

  it('sends no link when everything fits, even exactly', async () => {
    const response = await get(`/api/devices/${car.id}/positions?from=${new Date(T0).toISOString()}&to=${new Date(T0 + 24_000).toISOString()}&limit=25`);
    expect(response.json()).toHaveLength(25);
    expect(response.headers.link).toBeUndefined();
  });

  it('documents the link in the OpenAPI document', async () => {
    const document = (await t.app.inject({ url: '/api/docs/json' })).json();
    expect(document.paths['/api/devices/{id}/positions'].get.description).toContain('rel="next"');
  });
});
