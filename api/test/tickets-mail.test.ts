import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { bearer, buildTestApp, type TestApp } from './helper.ts';

/** The smallest SMTP server a real client can deliver to: keeps each message's recipients and data. */
async function smtpSink(): Promise<{ server: Server; url: string; mails: { to: string[]; data: string }[] }> {
  const mails: { to: string[]; data: string }[] = [];
  const server = createServer((socket) => {
    let buffer = '';
    let data: string[] | null = null;
    let to: string[] = [];
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            mails.push({ to, data: data.join('\n') });
            data = null;
            to = [];
            socket.write('250 queued\r\n');
          } else data.push(line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'RCPT') to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
        if (verb === 'DATA') {
          data = [];
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`, mails };
}

describe('e-mail dispatch and reply through SMTP, SMS reply through the gateway', () => {
  let t: TestApp;
  let sink: Awaited<ReturnType<typeof smtpSink>>;
  // The SMS gateway: takes { to, text, ticket } and answers 200.
  const texts: unknown[] = [];
  const gateway = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      texts.push(JSON.parse(body));
      response.end('{}');
    });
  });
  const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: bearer(t.adminToken) });

  beforeAll(async () => {
    sink = await smtpSink();
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const smsGatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
    t = await buildTestApp({ config: { tickets: { smtpUrl: sink.url, mailFrom: 'hotline@city.example', smsGatewayUrl, followupSchedulerSeconds: 0 } } });
    await api('POST', '/api/categories', { code: 'tree', name: '树木倒伏' });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => sink.server.close(resolve));
    await new Promise((resolve) => gateway.close(resolve));
  });

  it("mails the order to the unit's address and the reply to the citizen, recording delivery", async () => {
    const unitId = (await api('POST', '/api/units', { name: '八中队', kind: 'squad', email: 'squad8@city.example' })).json().id;
    const noMail = (await api('POST', '/api/units', { name: '九中队', kind: 'squad' })).json().id;
    const ticket = (await api('POST', '/api/tickets', { category: 'tree', description: '大树倒在路中间', lat: 22.5, lon: 114, address: '福田路 3 号', channel: 'email', reporterEmail: 'resident@example.org' })).json();
    await api('POST', `/api/tickets/${ticket.id}/transition`, { to: 'accepted' });
    expect((await api('POST', `/api/tickets/${ticket.id}/dispatch`, { unitId: noMail, method: 'email' })).statusCode).toBe(400);
    expect((await api('POST', `/api/tickets/${ticket.id}/dispatch`, { unitId, method: 'email' })).json().dispatchMethod).toBe('email');
    const reply = (await api('POST', `/api/tickets/${ticket.id}/reply`, { method: 'email', text: '已派员处理，感谢反映。' })).json();
    expect(reply).toMatchObject({ method: 'email', recipient: 'resident@example.org', delivery: 'sent', deliveryError: null });
    expect(sink.mails.map((m) => m.to)).toEqual([['squad8@city.example'], ['resident@example.org']]);
    expect(sink.mails[0]!.data).toContain('hotline@city.example');
    const timeline = (await api('GET', `/api/tickets/${ticket.id}`)).json().timeline;
    expect(timeline.find((e: { kind: string }) => e.kind === 'dispatch_mail')).toMatchObject({ details: { to: 'squad8@city.example', delivery: 'sent' } });
  });

  it('sends an SMS reply to the gateway and keeps it with the ticket', async () => {
    const ticket = (await api('POST', '/api/tickets', { category: 'tree', description: '树枝挡路', lat: 22.5, lon: 114, channel: 'sms', reporterPhone: '13700007777' })).json();
    const reply = (await api('POST', `/api/tickets/${ticket.id}/reply`, { method: 'sms', text: '已处理' })).json();
    expect(reply).toMatchObject({ method: 'sms', recipient: '13700007777', delivery: 'sent' });
    expect(texts).toEqual([{ to: '13700007777', text: '已处理', ticket: ticket.number }]);
    const history = (await api('GET', '/api/citizens/13700007777/history')).json();
    expect(history.replies).toMatchObject([{ text: '已处理', delivery: 'sent' }]);
  });
});
