import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { decodeJt808, encodeJt808, FrameError, type Jt808Message, type Jt808Target } from '@urbanlink/protocols';
import { insertDevice } from '@urbanlink/db';
import { createLiveBus, createSqlStore, startEmbeddedBroker, startIngest, type EmbeddedBroker, type Ingest, type LiveBus } from '@urbanlink/ingest';
import { RawTerminal, eventually, unescapeJt808 } from '../../ingest/test/helpers.ts';
import { bearer, buildTestApp, type TestApp } from './helper.ts';

const PHONE = '13920000031';

interface CommandJson {
  id: number;
  status: string;
  correlation: number | null;
  reply: string | null;
  sentAt: string | null;
  ackedAt: string | null;
  expiresAt: string;
}

/**
 * A command that reached its terminal over a real socket but was never answered: the housekeeping sweep
 * moves it from sent to expired once its expiry passes, and a reply arriving after that changes nothing.
 */
describe('a sent command that its terminal never answers', () => {
  let t: TestApp;
  let broker: EmbeddedBroker;
  let bus: LiveBus;
  let ingest: Ingest;
  let terminal: RawTerminal;
  let deviceId: number;
  const target: Jt808Target = { phone: PHONE, version: 2013 };

  const read = async (id: number) =>
    (await t.app.inject({ method: 'GET', url: `/api/commands/${id}`, headers: bearer(t.adminToken) })).json<CommandJson>();

  /** Posts a text command and waits until the terminal has its downlink and the command is sent. */
  async function sendText(text: string, expiresInSeconds: number): Promise<{ command: CommandJson; downlink: Jt808Message }> {
    const response = await t.app.inject({
      method: 'POST', url: `/api/devices/${deviceId}/commands`, headers: bearer(t.adminToken), payload: { type: 'text', text, expiresInSeconds },
    });
    expect(response.statusCode, response.body).toBe(202);
    const downlink = decodeJt808(unescapeJt808(await terminal.readJt808()));
    if (downlink instanceof FrameError) throw downlink;
    expect(downlink.header.id).toBe(0x8300);
    const command = await eventually(() => read(response.json().id), (c) => c.status === 'sent');
    expect(command).toMatchObject({ status: 'sent', correlation: downlink.header.serial, ackedAt: null });
    return { command, downlink };
  }

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    t = await buildTestApp({ mqttUrl: broker.url, config: { commandSweepMs: 100 } });
    bus = await createLiveBus(broker.url);
    ingest = await startIngest({
      store: createSqlStore(t.db.client), bus, logger: pino({ level: 'silent' }),
      jt808: { port: 0, host: '127.0.0.1' }, metricsLogMs: 0, stateFlushMs: 50,
    });
    deviceId = (await insertDevice(t.db.client, { uniqueId: PHONE, name: '808 car', protocol: 'jt808', authCode: 'code808' }))!.id;
    terminal = await RawTerminal.open(ingest.ports.jt808!);
    terminal.send(encodeJt808.authenticate(target, { authCode: 'code808' }, 1));
    await terminal.readJt808();
  });

  afterAll(async () => {
    terminal?.close();
    await ingest?.close();
    await bus?.close();
    await t?.close();
    await broker?.close();
  });

  it('moves from sent to expired after its expiry, keeping when it was sent, and ignores a late reply', async () => {
    const { command, downlink } = await sendText('请回电', 2);
    expect(command.sentAt).not.toBeNull();
    const expired = await eventually(() => read(command.id), (c) => c.status !== 'sent', 6_000);
    expect(expired).toMatchObject({ status: 'expired', sentAt: command.sentAt, correlation: downlink.header.serial, reply: null, ackedAt: null });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(command.expiresAt));

    terminal.send(encodeJt808.terminalResponse(target, { ackSerial: downlink.header.serial, ackId: 0x8300, result: 0 }, 2));
    await terminal.drain(300);
    expect(await read(command.id)).toMatchObject({ status: 'expired', reply: null, ackedAt: null });
  });

  it('leaves a command answered in time acknowledged after its expiry passes', async () => {
    const { command, downlink } = await sendText('收到请回复', 2);
    terminal.send(encodeJt808.terminalResponse(target, { ackSerial: downlink.header.serial, ackId: 0x8300, result: 0 }, 3));
    expect(await eventually(() => read(command.id), (c) => c.status !== 'sent')).toMatchObject({ status: 'acknowledged' });
    // Past the expiry and a few sweeps later it is still what the terminal said.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(command.expiresAt) - Date.now()) + 400));
    expect(await read(command.id)).toMatchObject({ status: 'acknowledged', reply: JSON.stringify({ ackId: 0x8300, result: 0 }) });
  });
});
