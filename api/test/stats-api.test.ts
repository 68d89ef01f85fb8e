import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDailyStats, writePositions } from '@urbanlink/db';
import type { Position } from '@urbanlink/protocols';
import { bearer, buildTestApp, login, type TestApp } from './helper.ts';

const HOUR = 3_600_000;

describe('ticket statistics through the API, driven through the real ticket workflow', () => {
  let t: TestApp;
  // Monday 09:00 in Shanghai: inside working hours, so deadlines fall the same day.
  let clock = Date.parse('2026-11-30T01:00:00Z');
  const start = clock;
  const units: Record<string, number> = {};
  const ids: Record<string, number> = {};
  let memberToken: string;

  const api = (method: 'GET' | 'POST', url: string, payload?: object, token = t.adminToken) =>
    t.app.inject({ method, url, payload, headers: bearer(token) });
  const ok = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await api(method, url, payload);
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const step = (id: number, to: string, extra: object = {}) => ok('POST', `/api/tickets/${id}/transition`, { to, ...extra });
  const period = () => `from=${new Date(start - HOUR).toISOString()}&to=${new Date(start + 30 * 24 * HOUR).toISOString()}`;

  async function ticket(channel: string, unit: string, lon = 114.0): Promise<{ id: number; dueAt: string }> {
    const created = await ok('POST', '/api/tickets', { category: 'litter', description: '乱扔垃圾', lat: 22.5, lon, channel });
    await step(created.id, 'accepted');
    clock += 10 * 60_000;
    return ok('POST', `/api/tickets/${created.id}/dispatch`, { unitId: units[unit] });
  }
  const close = async (id: number) => {
    await step(id, 'handled', { result: 'resolved' });
    await step(id, 'verified');
    return step(id, 'closed');
  };

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { now: () => clock, followupSchedulerSeconds: 0 } } });
    units.d1 = (await ok('POST', '/api/units', { name: '一区局', kind: 'district' })).id;
    units.d2 = (await ok('POST', '/api/units', { name: '二区局', kind: 'district' })).id;
    units.s1 = (await ok('POST', '/api/units', { name: '一中队', kind: 'squad', parentId: units.d1 })).id;
    units.s2 = (await ok('POST', '/api/units', { name: '二中队', kind: 'squad', parentId: units.d1 })).id;
    units.s3 = (await ok('POST', '/api/units', { name: '三中队', kind: 'squad', parentId: units.d2 })).id;
    await ok('POST', '/api/categories', { code: 'litter', name: '乱扔垃圾', limits: { closed: 4 } });
    await ok('POST', '/api/users', { username: 'd2member', name: '二区队员', password: 'member-password', role: 'unit_member', unitId: units.d2 });
    memberToken = await login(t.app, 'd2member', 'member-password');

    // T1 closed in time, reopened as rework, closed in time again; T2 closed after its deadline; T3 still open
    // past its deadline; T4 open and not yet due.
    const t1 = await ticket('phone', 's1');
    const t2 = await ticket('web', 's1');
    const t3 = await ticket('phone', 's2', 114.0005);
    ids.t1 = t1.id;
    ids.t2 = t2.id;
    ids.t3 = t3.id;
    clock += HOUR;
    await close(t1.id);
    await step(t1.id, 'reopened');
    await step(t1.id, 'accepted');
    await ok('POST', `/api/tickets/${t1.id}/dispatch`, { unitId: units.s1 });
    expect((await close(t1.id)).status).toBe('closed');
    clock = Date.parse(t2.dueAt) + HOUR;
    expect(Date.parse(t3.dueAt)).toBeLessThan(clock);
    await close(t2.id);
    ids.t4 = (await ticket('phone', 's3')).id;
  });
  afterAll(async () => t?.close());

  it('counts volume, 应结案数, 结案率 and 按期结案率 over the due tickets, as CONTRACT.md names them', async () => {
    const stats = await ok('GET', `/api/stats/tickets?${period()}&groupBy=channel`);
    expect(stats).toMatchObject({ total: 4, due: 3, closed: 2, closedOnTime: 1, overdueOpen: 1, reworked: 1, groupBy: 'channel' });
    expect(stats.closureRate).toBeCloseTo(2 / 3);
    expect(stats.onTimeRate).toBeCloseTo(1 / 3);
    expect(stats.reworkRate).toBeCloseTo(1 / 2);
    expect(stats.groups).toEqual([
      expect.objectContaining({ key: 'phone', total: 3, due: 2, closed: 1, closedOnTime: 1 }),
      expect.objectContaining({ key: 'web', total: 1, due: 1, closed: 1, closedOnTime: 0, onTimeRate: 0 }),
    ]);
    expect(stats.definitions.due.zh).toContain('应结案数');
    expect(stats.asOf).toBe(new Date(clock).toISOString());
  });

  it('groups by district, squad and day, and a period that ended earlier is judged as it stood then', async () => {
    const districts = await ok('GET', `/api/stats/tickets?${period()}&groupBy=district`);
    expect(districts.groups.map((g: { label: string; total: number; due: number }) => [g.label, g.total, g.due])).toEqual([['一区局', 3, 3], ['二区局', 1, 0]]);
    const squads = await ok('GET', `/api/stats/tickets?${period()}&groupBy=squad`);
    expect(squads.groups.map((g: { label: string; total: number }) => [g.label, g.total])).toEqual([['一中队', 2], ['二中队', 1], ['三中队', 1]]);
    const days = await ok('GET', `/api/stats/tickets?${period()}&groupBy=day&tz=Asia/Shanghai`);
    expect(days.groups.map((g: { key: string; total: number }) => [g.key, g.total])).toEqual([['2026-11-30', 4]]);
    // Ending before anything closed: the first three were registered, none due yet.
    const early = await ok('GET', `/api/stats/tickets?from=${new Date(start - HOUR).toISOString()}&to=${new Date(start + 40 * 60_000).toISOString()}`);
    expect(early).toMatchObject({ total: 3, due: 0, closed: 0, closureRate: null });
  });

  it('limits every count to the caller’s unit subtree, and refuses a unit outside it', async () => {
    const mine = (await api('GET', `/api/stats/tickets?${period()}`, undefined, memberToken)).json();
    expect(mine).toMatchObject({ total: 1, due: 0 });
    // Outside the caller's units, the same answer as a unit that does not exist.
    const outside = await api('GET', `/api/stats/tickets?${period()}&unitId=${units.s1}`, undefined, memberToken);
    const missing = await api('GET', `/api/stats/tickets?${period()}&unitId=999999`, undefined, memberToken);
    expect(outside.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(await ok('GET', `/api/stats/tickets?${period()}&unitId=${units.s1}`)).toMatchObject({ total: 2, closed: 2 });
    expect((await api('GET', `/api/stats/tickets?from=${new Date(start).toISOString()}&to=${new Date(start - 1).toISOString()}`)).statusCode).toBe(400);
  });

  it('lists the tickets behind a count', async () => {
    const trace = await ok('GET', `/api/stats/tickets/trace?${period()}&measure=due`);
    expect(trace.tickets.map((x: { id: number }) => x.id)).toEqual([ids.t1, ids.t2, ids.t3]);
    const late = await ok('GET', `/api/stats/tickets/trace?${period()}&measure=overdueOpen`);
    expect(late.tickets.map((x: { id: number }) => x.id)).toEqual([ids.t3]);
  });

  it('measures stage durations, workload and hotspots', async () => {
    const durations = await ok('GET', `/api/stats/durations?${period()}`);
    expect(durations.stages.accept.count).toBe(4);
    expect(durations.stages.dispatch).toMatchObject({ count: 4, medianS: 600 });
    expect(durations.stages.handling.count).toBe(2);
    expect(durations.stages.handling.p90S).toBeGreaterThan(durations.stages.handling.medianS);
    const workload = await ok('GET', `/api/stats/workload?${period()}`);
    expect(workload.staff).toEqual([expect.objectContaining({ username: 'admin', registered: 4, dispatched: 5, closed: 3 })]);
    const hotspots = await ok('GET', `/api/stats/hotspots?${period()}&minCount=3&cellMeters=200`);
    expect(hotspots.recurring).toEqual([expect.objectContaining({ categoryCode: 'litter', count: 4 })]);
    expect(hotspots.cells.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(4);
  });

  it('reports each vehicle’s mileage, time moving and time on duty from the daily aggregate, also as CSV and XLSX', async () => {
    const device = await ok('POST', '/api/devices', { uniqueId: '868120145233611', name: '巡逻车 9', protocol: 'gt06', plate: '粤B00009', unitId: units.s1 });
    const at = (time: string, lat: number, speedKmh: number, ignition: boolean): Position => ({
      uniqueId: '868120145233611', fixTimeMs: Date.parse(`2026-12-01T${time}Z`), lat, lon: 114.0, altitudeM: 0, speedKmh, course: 0,
      valid: true, satellites: 9, ignition, odometerKm: null, fuelL: null, alarms: [], attributes: {},
    });
    // Drives 10 minutes, idles 2 with the engine on, is silent 18 (past the gap limit), then parks with it off.
    const fixes = [
      at('08:00:00', 22.5, 36, true), at('08:05:00', 22.51, 36, true), at('08:10:00', 22.51, 0, true),
      at('08:12:00', 22.51, 0, true), at('08:30:00', 22.51, 0, false), at('08:35:00', 22.51, 0, false),
    ];
    await writePositions(t.db.client, fixes.map((position) => ({ deviceId: device.id, position })));
    await refreshDailyStats(t.db.client, Date.parse('2026-12-01T00:00:00Z'), Date.parse('2026-12-02T00:00:00Z'));

    const vehicles = await ok('GET', `/api/stats/vehicles?${period()}`);
    expect(vehicles.days).toEqual([expect.objectContaining({ day: '2026-12-01', vehicles: 1, movingS: 600, onDutyS: 720, fixes: 6 })]);
    expect(vehicles.vehicles).toEqual([expect.objectContaining({ deviceId: device.id, plate: '粤B00009', days: 1, movingS: 600, onDutyS: 720 })]);
    expect(vehicles.vehicles[0].distanceM).toBeCloseTo(1112, -1);
    expect(vehicles.totals).toMatchObject({ movingS: 600, onDutyS: 720, vehicleDays: 1 });

    const csv = (await api('GET', `/api/stats/vehicles?${period()}&format=csv`)).body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv[0]).toContain('在岗(小时)');
    expect(csv[1]).toMatch(/^巡逻车 9,粤B00009,1,1\.1,0\.17,0\.2,/);
    const xlsx = await api('GET', `/api/stats/vehicles?${period()}&format=xlsx`);
    const dir = mkdtempSync(join(tmpdir(), 'urbanlink-xlsx-'));
    try {
      const file = join(dir, 'vehicles.xlsx');
      writeFileSync(file, xlsx.rawPayload);
      const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
      expect(sheet).toContain('On duty h');
      expect(sheet).toContain('<c r="F2"><v>0.2</v></c>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports a table as CSV and as an XLSX workbook that unzip can read', async () => {
    const csv = await api('GET', `/api/stats/tickets?${period()}&groupBy=channel&format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('应结案数');
    expect(lines.slice(1)).toEqual(['phone,phone,3,2,1,1,1,50,50,100', 'web,web,1,1,1,0,0,100,0,0', 'total,Total 合计,4,3,2,1,1,66.7,33.3,50']);

    const xlsx = await api('GET', `/api/stats/tickets?${period()}&groupBy=channel&format=xlsx`);
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="tickets-by-channel.xlsx"');
    const dir = mkdtempSync(join(tmpdir(), 'urbanlink-xlsx-'));
    try {
      const file = join(dir, 'stats.xlsx');
      writeFileSync(file, xlsx.rawPayload);
      execFileSync('unzip', ['-t', file]);
      const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8' });
      for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']) expect(listing).toContain(part);
      const sheet = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
      expect(sheet).toContain('<c r="C4"><v>4</v></c>');
      expect(sheet).toContain('<c r="H4"><v>66.7</v></c>');
      expect(sheet).toContain('按期结案率%');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
