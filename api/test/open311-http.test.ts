import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOpen311Key } from '@urbanlink/db';
import { bearer, buildTestApp, type TestApp } from './helper.ts';

/** Open311 as a citizen's app speaks it: form-encoded POSTs and plain GETs over a real port. */
describe('Open311 GeoReport v2', () => {
  let t: TestApp;
  let base: string;

  // Response bodies are whatever the server sent; the assertions say what they must be.
  const json = (response: Response | Promise<Response>): Promise<any> => Promise.resolve(response).then((r) => r.json());
  const form = (fields: Record<string, string>) =>
    fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { open311ApiKeys: ['env-key'], followupSchedulerSeconds: 0 } } });
    const api = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: bearer(t.adminToken) });
    const parent = (await api('/api/categories', { code: 'sanitation', name: '环境卫生' })).json();
    await api('/api/categories', { code: 'litter', name: 'Litter', parentId: parent.id, keywords: ['rubbish', 'trash'] });
    await api('/api/categories', { code: 'internal', name: 'Internal', parentId: parent.id, public: false });
    await insertOpen311Key(t.db.client, 'db-key', 'CityApp');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('lists public leaf categories as services, in JSON and XML', async () => {
    const services = await json(fetch(`${base}/open311/v2/services.json?jurisdiction_id=city`));
    expect(services).toEqual([
      { service_code: 'litter', service_name: 'Litter', description: 'Litter', metadata: false, type: 'realtime', keywords: 'rubbish,trash', group: '环境卫生' },
    ]);
    const xml = await fetch(`${base}/open311/v2/services.xml`);
    expect(xml.headers.get('content-type')).toContain('text/xml');
    expect(await xml.text()).toContain('<services><service><service_code>litter</service_code>');
    expect(await json(fetch(`${base}/open311/v2/services/litter.json`))).toEqual({ service_code: 'litter', attributes: [] });
    expect(await (await fetch(`${base}/open311/v2/services/litter.xml`)).text()).toContain('<service_definition><service_code>litter</service_code><attributes/></service_definition>');
    expect((await fetch(`${base}/open311/v2/services/internal.json`)).status).toBe(404);
  });

  it('creates a request from a form with a valid api_key and reads it back', async () => {
    const created = await form({
      api_key: 'db-key', service_code: 'litter', lat: '22.5431', long: '114.0579', address_string: '1 Shennan Road',
      description: 'Overflowing bins', email: 'citizen@example.org', first_name: 'Li', last_name: 'Lei', phone: '13700001111',
    });
    expect(created.status).toBe(201);
    const [receipt] = await json(created);
    expect(receipt.service_notice).toMatch(/^Ticket number \d{8}-\d{4}$/);
    const one = await json(fetch(`${base}/open311/v2/requests/${receipt.service_request_id}.json?extensions=true`));
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({
      service_request_id: receipt.service_request_id, status: 'open', status_notes: 'Registered (受理)', service_code: 'litter',
      description: 'Overflowing bins', address: '1 Shennan Road', lat: 22.5431, long: 114.0579,
      extended_attributes: { stage: 'registered', channel: 'open311' },
    });
    expect(one[0]).not.toHaveProperty('phone');
    const ticket = (await t.app.inject({ method: 'GET', url: `/api/tickets/${receipt.service_request_id}`, headers: bearer(t.adminToken) })).json();
    expect(ticket).toMatchObject({ channel: 'open311', reporterPhone: '13700001111', reporter: { email: 'citizen@example.org', name: 'Li Lei' } });
  });

  it('accepts the configured keys too, and answers errors in the specification form', async () => {
    expect((await form({ api_key: 'env-key', service_code: 'litter', lat: '22.6', long: '114.1' })).status).toBe(201);
    const noKey = await form({ service_code: 'litter', lat: '22.6', long: '114.1' });
    expect(noKey.status).toBe(403);
    expect(await json(noKey)).toEqual([{ code: 403, description: 'api_key is missing or not valid' }]);
    const missing = await form({ api_key: 'env-key', description: 'x' });
    expect(missing.status).toBe(400);
    expect((await json(missing)).map((e: { description: string }) => e.description)).toEqual([
      'service_code is required',
      'a location is required: lat and long, address_string or address_id',
    ]);
    const hidden = await form({ api_key: 'env-key', service_code: 'internal', lat: '22.6', long: '114.1' });
    expect(await json(hidden)).toEqual([{ code: 400, description: 'service_code internal is not a service of this server' }]);
    const unknown = await fetch(`${base}/open311/v2/requests/999999.xml`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('<errors><error><code>404</code>');
  });

  it('filters and pages the request list and maps the workflow to open and closed', async () => {
    const all = await json(fetch(`${base}/open311/v2/requests.json?service_code=litter`));
    expect(all.length).toBe(2);
    const first = all.at(-1);
    await t.app.inject({ method: 'POST', url: `/api/tickets/${first.service_request_id}/merge`, payload: { into: Number(all[0].service_request_id) }, headers: bearer(t.adminToken) });
    const closed = await json(fetch(`${base}/open311/v2/requests.json?status=closed`));
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([first.service_request_id]);
    expect(closed[0].status_notes).toContain('Merged');
    const open = await json(fetch(`${base}/open311/v2/requests.json?status=open&page_size=1&page=1`));
    expect(open).toHaveLength(1);
    const past = await json(fetch(`${base}/open311/v2/requests.json?end_date=2020-01-01T00:00:00Z`));
    expect(past).toEqual([]);
    const byId = await json(fetch(`${base}/open311/v2/requests.json?service_request_id=${all.map((r: { service_request_id: string }) => r.service_request_id).join(',')}`));
    expect(byId).toHaveLength(2);
  });
});
