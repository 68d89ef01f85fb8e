/**
 * The console end to end, on a real server with simulated vehicles: log in, watch vehicles move, take a
 * call announced by the PBX, register the ticket at a point picked on the map, dispatch the nearest vehicle,
 * see the terminal acknowledge and the vehicle arrive, replay its track, and handle a geofence alarm. With
 * URBANLINK_SCREENSHOTS=<dir> it saves the main screens there.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { addGeofenceAroundFleet, login, seed } from './seed.ts';
import { ADMIN_PASSWORD, startServer, type TestServer } from './server.ts';

const VEHICLES = 12;
const TELEPHONY_SECRET = 'e2e-pbx-secret';
const ONE_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const screenshotDir = process.env.URBANLINK_SCREENSHOTS;

/** What the unit-boundary layers of the console's map draw now: each feature's layer and label. */
function renderedUnitBoundaries(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const map = (globalThis as { urbanlinkMap?: MapLibreMap }).urbanlinkMap;
    const layers = ['unit-boundary-fill', 'unit-boundary-line', 'unit-boundary-labels'];
    // Querying a layer the style does not hold yet is an error; before then nothing is drawn.
    if (!map || !layers.every((id) => map.getLayer(id))) return [];
    return map.queryRenderedFeatures({ layers }).map((f) => `${f.layer.id}:${String(f.properties.label)}`);
  });
}

/** The labels the unit-boundary source holds now, whether or not they are in view. */
function unitBoundaryLabels(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const source = (globalThis as { urbanlinkMap?: MapLibreMap }).urbanlinkMap?.getSource<GeoJSONSource>('unit-boundaries');
    const data = (await source?.getData()) as FeatureCollection | undefined;
    return data?.features.map((f) => String(f.properties?.label)) ?? [];
  });
}

async function shot(page: Page, name: string): Promise<void> {
  if (!screenshotDir) return;
  await mkdir(screenshotDir, { recursive: true });
  // Let the map finish drawing the last change before the picture is taken.
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

describe('web console', () => {
  let server: TestServer;
  let browser: TestBrowser;
  let plates: string[];

  beforeAll(async () => {
    // Arrival is normally 60 s within 100 m; a simulated car keeps driving, so the test widens both.
    server = await startServer({ ARRIVAL_RADIUS_METERS: '100000', ARRIVAL_MIN_DWELL_SECONDS: '1', TELEPHONY_SECRET });
    server.startSimulator(VEHICLES);
    ({ plates } = await seed(server.baseUrl, VEHICLES));
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it('logs in and shows the simulated vehicles moving', async () => {
    const { page } = browser;
    await page.goto(server.baseUrl);
    await shot(page, 'login');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.press('input[name=password]', 'Enter');
    const list = page.getByTestId('vehicle-list');
    await expect.poll(() => list.locator('li').count(), { timeout: 20_000 }).toBe(VEHICLES);
    await expect.poll(() => list.textContent(), { timeout: 20_000 }).toContain(plates[0]);
    await expect.poll(() => page.getByTestId('feed-state').getAttribute('class'), { timeout: 20_000 }).toContain('live');
    // The squad's boundary, created through the API by the seed, is drawn: its area, outline and label.
    await expect.poll(() => renderedUnitBoundaries(page), { timeout: 20_000 }).toEqual(
      expect.arrayContaining(['unit-boundary-fill:一中队\nSquad', 'unit-boundary-line:一中队\nSquad', 'unit-boundary-labels:一中队\nSquad']),
    );
    await shot(page, 'live-map');
    await list.getByText(plates[0]!).click();
    const position = page.getByTestId('vehicle-position');
    const first = await position.textContent();
    expect(first).toMatch(/^-?\d+\.\d{5}, -?\d+\.\d{5}$/);
    // Pushed over the WebSocket, with no reload: the same card shows the vehicle somewhere else.
    await expect.poll(() => position.textContent(), { timeout: 20_000 }).not.toBe(first);
    // A text to the driver's display: the simulated terminal acknowledges it, and the card says so.
    await page.getByLabel('Send text to the driver').fill('请到人民路口巡查');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('vehicle-details').textContent(), { timeout: 20_000 }).toMatch(/Command \d+: acknowledged by the terminal/);
    await shot(page, 'vehicle-details');
  });

  it("opens the ticket form with the caller's history when the PBX announces a call at this desk", async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Tickets' }).click();
    await page.getByText('Settings', { exact: true }).click();
    await page.getByLabel('My phone extension (calls pop up here)').fill('8001');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Settings saved').waitFor();
    await page.getByText('Settings', { exact: true }).click();
    // The desk socket reopens for the new extension; announce the call until it is there to hear it.
    const form = page.getByTestId('ticket-form');
    for (let attempt = 0; attempt < 20 && !(await form.isVisible()); attempt++) {
      const response = await fetch(`${server.baseUrl}/api/telephony/calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-urbanlink-secret': TELEPHONY_SECRET },
        body: JSON.stringify({ callId: 'e2e-call-1', caller: '13800138000', extension: '8001' }),
      });
      expect(response.status).toBe(200);
      await form.waitFor({ timeout: 1_000 }).catch(() => undefined);
    }
    expect(await page.inputValue('input[name=phone]')).toBe('13800138000');
    expect(await form.getByRole('alert').first().textContent()).toBe('Incoming call from 13800138000');
    await expect.poll(() => page.getByTestId('caller-history').textContent(), { timeout: 10_000 }).toContain('No earlier tickets from this number');
  });

  it('registers a ticket at a point picked on the map, dispatches the nearest vehicle and sees it arrive', async () => {
    const { page } = browser;
    await expect.poll(() => page.getByTestId('ticket-form').isVisible()).toBe(true);
    await page.getByTestId('pick-on-map').click();
    const box = (await page.getByTestId('map').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.inputValue('input[name=lat]')).toMatch(/^-?\d+\.\d{6}$/);
    await page.fill('textarea[name=description]', '路口占道经营，影响通行');
    await page.fill('input[name=address]', '深南大道 1 号');
    await shot(page, 'ticket-form');
    await page.getByRole('button', { name: 'Register ticket' }).click();

    const detail = page.getByTestId('ticket-detail');
    await detail.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('ticket-status').textContent()).toBe('Registered');
    const nearest = page.getByTestId('nearest').locator('li');
    await expect.poll(() => nearest.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const chosen = (await nearest.first().locator('.plate').textContent())!;
    expect(plates).toContain(chosen);
    await nearest.first().getByRole('button', { name: 'Dispatch' }).click();

    await expect.poll(() => page.getByTestId('ticket-vehicle').textContent(), { timeout: 15_000 }).toBe(chosen);
    await expect.poll(() => page.getByTestId('ticket-ack').textContent(), { timeout: 30_000 }).toBe('acknowledged by the terminal');
    await expect.poll(() => page.getByTestId('ticket-arrival').textContent(), { timeout: 30_000 }).toMatch(/^Arrived /);
    expect(await page.getByTestId('ticket-status').textContent()).toBe('Arrived');
    await page.getByLabel('Add a photo').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: Buffer.from(ONE_PIXEL_PNG, 'base64') });
    await expect.poll(() => page.locator('.photos img').count(), { timeout: 10_000 }).toBe(1);
    await shot(page, 'ticket-dispatch');

    const number = (await page.getByTestId('ticket-number').textContent())!;
    await page.getByRole('button', { name: '← Ticket queue' }).click();
    await page.getByLabel('Status').selectOption({ label: 'Arrived' });
    await expect.poll(() => page.getByTestId('ticket-list').textContent(), { timeout: 10_000 }).toContain(number);
    await page.getByLabel('Status').selectOption({ label: 'Closed' });
    await expect.poll(() => page.getByTestId('ticket-list').textContent(), { timeout: 10_000 }).not.toContain(number);
    await page.getByLabel('Status').selectOption({ index: 0 });
    await page.getByTestId('ticket-list').getByText(number).click();
    await page.getByTestId('ticket-detail').waitFor();
  });

  it("replays the dispatched vehicle's track", async () => {
    const { page } = browser;
    const vehicle = (await page.getByTestId('ticket-vehicle').textContent())!;
    await page.getByRole('tab', { name: 'Playback' }).click();
    const playback = page.getByTestId('playback');
    await playback.getByRole('searchbox').fill(vehicle);
    await playback.getByLabel(vehicle).check();
    await page.getByTestId('load-tracks').click();
    const summary = page.getByTestId('track-summary');
    await summary.waitFor({ timeout: 20_000 });
    expect(await summary.textContent()).toContain(vehicle);
    expect(Number((await page.getByTestId('track-distance').textContent())!.replace(/[^\d.]/g, ''))).toBeGreaterThan(0);
    const clock = page.getByTestId('playback-time');
    const before = await clock.textContent();
    await page.getByTestId('play').click();
    await expect.poll(() => clock.textContent(), { timeout: 10_000 }).not.toBe(before);
    await shot(page, 'playback');
  });

  it('shows a new alarm as soon as it is raised, pushed over the live socket rather than read', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Live map' }).click();
    const alarms = page.getByTestId('alarm-panel').getByTestId('alarm');
    await expect.poll(() => alarms.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('feed-state').getAttribute('class')).toContain('live');
    const before = await alarms.count();
    const reads: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (new URL(request.url()).pathname === '/api/alarms') reads.push(request.url());
    };
    page.on('request', onRequest);
    // A second fence around the fleet: at their next fix (every second) the vehicles enter it.
    await addGeofenceAroundFleet(server.baseUrl, await login(server.baseUrl), '临时管控区');
    const raisedAt = Date.now();
    await expect.poll(() => alarms.count(), { timeout: 10_000, interval: 100 }).toBeGreaterThan(before);
    const seenAfterMs = Date.now() - raisedAt;
    expect(await page.getByTestId('alarm-panel').getAttribute('class')).toContain('flash');
    page.off('request', onRequest);
    // The panel read nothing: the alarm came with the push, not with a poll.
    expect(reads).toEqual([]);
    expect(seenAfterMs).toBeLessThan(5_000);
  });

  it('shows the geofence alarms, which the dispatcher acknowledges, assigns and resolves', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Live map' }).click();
    const panel = page.getByTestId('alarm-panel');
    const alarms = panel.getByTestId('alarm');
    await expect.poll(() => alarms.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // By id, not by place: vehicles keep crossing the fences, so new alarms arrive above it meanwhile.
    const first = panel.locator(`[data-alarm-id="${await alarms.first().getAttribute('data-alarm-id')}"]`);
    expect(await first.textContent()).toMatch(/Entered geofence|Left geofence/);
    await first.getByRole('button').first().click();
    await first.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => first.textContent(), { timeout: 10_000 }).toContain('Acknowledged');
    await first.getByLabel('Assign to unit').selectOption({ label: '一中队' });
    await first.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(() => first.textContent(), { timeout: 10_000 }).toContain('Assigned');
    await first.getByLabel('How it was resolved').fill('巡查确认，车辆正常执勤');
    await first.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => first.count(), { timeout: 10_000 }).toBe(0);
    await shot(page, 'alarms');
  });

  it('switches to Chinese and logs no console errors on the way', async () => {
    const { page } = browser;
    await page.getByRole('tab', { name: 'Live map' }).click();
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.getByRole('tab', { name: '实时地图' }).isVisible()).toBe(true);
    // The boundary's label names the kind of unit in the console's language.
    await expect.poll(() => unitBoundaryLabels(page), { timeout: 10_000 }).toContain('一中队\n中队');
    await shot(page, 'console-zh');
    expect(browser.errors).toEqual([]);
  });
});
