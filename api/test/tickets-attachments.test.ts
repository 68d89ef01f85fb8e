import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from './helper.ts';

const MAX = 3 * 1024 * 1024;

function jpeg(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  for (let i = 4; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

describe('ticket attachments', () => {
  let t: TestApp;
  let base: string;
  let ticketId: number;

  const upload = (bytes: Uint8Array, name: string, claimed: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: claimed }), name);
    return fetch(`${base}/api/tickets/${ticketId}/attachments`, { method: 'POST', body: form, headers: bearer(t.adminToken) });
  };

  beforeAll(async () => {
    t = await buildTestApp({ config: { tickets: { attachmentMaxBytes: MAX, followupSchedulerSeconds: 0 } } });
    const api = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload, headers: bearer(t.adminToken) });
    await api('/api/categories', { code: 'graffiti', name: '乱涂乱画' });
    ticketId = (await api('/api/tickets', { category: 'graffiti', description: '墙面涂鸦', lat: 22.5, lon: 114, channel: 'web' })).json().id;
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => t?.close());

  it('stores a photo larger than the JSON body limit, typed by its bytes, and serves it back', async () => {
    const photo = jpeg(2 * 1024 * 1024);
    const response = await upload(photo, '现场照片.jpg', 'application/octet-stream');
    expect(response.status).toBe(201);
    const saved = (await response.json()) as { id: number; contentType: string; sizeBytes: number; fileName: string };
    expect(saved).toMatchObject({ contentType: 'image/jpeg', sizeBytes: photo.length, fileName: '现场照片.jpg' });
    const back = await fetch(`${base}/api/tickets/${ticketId}/attachments/${saved.id}`, { headers: bearer(t.adminToken) });
    expect(back.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await back.arrayBuffer()).equals(Buffer.from(photo))).toBe(true);
    const ticket = (await t.app.inject({ method: 'GET', url: `/api/tickets/${ticketId}`, headers: bearer(t.adminToken) })).json();
    expect(ticket.attachments).toMatchObject([{ id: saved.id, contentType: 'image/jpeg' }]);
    expect(ticket.timeline.at(-1)).toMatchObject({ kind: 'attachment', note: '现场照片.jpg' });
  });

  it('refuses a file over the limit (413) and content that is not an accepted type whatever it claims (415)', async () => {
    expect((await upload(jpeg(MAX + 1), 'big.jpg', 'image/jpeg')).status).toBe(413);
    const page = await upload(new TextEncoder().encode('<html><script>alert(1)</script>'), 'photo.jpg', 'image/jpeg');
    expect(page.status).toBe(415);
    expect(((await page.json()) as { message: string }).message).toContain('image/jpeg');
    const pdf = await upload(new TextEncoder().encode('%PDF-1.7\n...'), 'letter.pdf', 'text/plain');
    expect(((await pdf.json()) as { contentType: string }).contentType).toBe('application/pdf');
    const list = (await t.app.inject({ method: 'GET', url: `/api/tickets/${ticketId}/attachments`, headers: bearer(t.adminToken) })).json();
    expect(list.map((a: { contentType: string }) => a.contentType)).toEqual(['image/jpeg', 'application/pdf']);
  });
});
