import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  decodeGt06,
  decodeJt808,
  encodeGt06,
  encodeJt808,
  FrameError,
  jt808TextFlag,
  type Jt808Message,
  type Jt808Target,
} from '@urbanlink/protocols';
import { insertDevice, listPositions } from '@urbanlink/db';
import { createLiveBus, createSqlStore, startEmbeddedBroker, startIngest, type EmbeddedBroker, type Ingest, type LiveBus } from '@urbanlink/ingest';
import { RawTerminal, eventually, unescapeJt808 } from '../../ingest/test/helpers.ts';
import { bearer, buildTestApp, type TestApp } from './helper.ts';

const JT808_PHONE = '13920000001';
const GT06_IMEI = '869000000000001';

interface CommandJson {
  id: number;
  status: string;
  correlation: number | null;
  reply: string | null;
  error: string | null;
}

function jt808(frame: Buffer): Jt808Message {
  const message = decodeJt808(unescapeJt808(frame));
  if (message instanceof FrameError) throw message;
  return message;
}

/**
 * Every command type the API offers, from POST /api/devices/{id}/commands through ingest to a terminal on a
 * real socket and back: the downlink byte-exact, the terminal's reply matched to the command, the command's
 * final status and reply as the API reports them.
 */
describe('commands from the API to real terminals and back', () => {
  let t: TestApp;
  let broker: EmbeddedBroker;
  let bus: LiveBus;
  let ingest: Ingest;
  let jt808Id: number;
  let gt06Id: number;
  let target: Jt808Target;
  let jt808Terminal: RawTerminal;
  let gt06Terminal: RawTerminal;
  let terminalSerial = 10;

  const api = (method: 'GET' | 'POST', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: bearer(t.adminToken) });
  const post = async (deviceId: number, body: object) => {
    const response = await api('POST', `/api/devices/${deviceId}/commands`, body);
    expect(response.statusCode, response.body).toBe(202);
    return response.json<{ id: number; status: string }>();
  };
  const read = (id: number) => api('GET', `/api/commands/${id}`).then((r) => r.json<CommandJson>());
  const settled = (id: number) => eventually(() => read(id), (c) => c.status !== 'queued' && c.status !== 'sent');

  /** Posts a JT/T 808 command, checks the downlink is `expected(serial)` byte for byte, returns it decoded. */
  async function jt808Command(body: object, expected: (serial: number) => Buffer): Promise<{ id: number; downlink: Jt808Message }> {
    const command = await post(jt808Id, body);
    const frame = await jt808Terminal.readJt808();
    const downlink = jt808(frame);
    expect(frame.toString('hex')).toBe(expected(downlink.header.serial).toString('hex'));
    await eventually(() => read(command.id), (c) => c.status === 'sent');
    return { id: command.id, downlink };
  }

  function respond(downlink: Jt808Message, result: number): void {
    jt808Terminal.send(encodeJt808.terminalResponse(target, { ackSerial: downlink.header.serial, ackId: downlink.header.id, result }, terminalSerial++));
  }

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    t = await buildTestApp({ mqttUrl: broker.url });
    bus = await createLiveBus(broker.url);
    ingest = await startIngest({
      store: createSqlStore(t.db.client), bus, logger: pino({ level: 'silent' }),
      gt06: { port: 0, host: '127.0.0.1' }, jt808: { port: 0, host: '127.0.0.1' }, metricsLogMs: 0, stateFlushMs: 50,
    });
    jt808Id = (await insertDevice(t.db.client, { uniqueId: JT808_PHONE, name: '808 car', protocol: 'jt808', authCode: 'code808' }))!.id;
    gt06Id = (await api('POST', '/api/devices', { uniqueId: GT06_IMEI, name: 'gt06 car', protocol: 'gt06' })).json().id;

    target = { phone: JT808_PHONE, version: 2013 };
    jt808Terminal = await RawTerminal.open(ingest.ports.jt808!);
    jt808Terminal.send(encodeJt808.authenticate(target, { authCode: 'code808' }, 1));
    expect(jt808(await jt808Terminal.readJt808())).toMatchObject({ name: 'platformAck', ackId: 0x0102, result: 0 });
    gt06Terminal = await RawTerminal.open(ingest.ports.gt06!);
    gt06Terminal.send(encodeGt06.login(GT06_IMEI, 1));
    expect(await gt06Terminal.read(10)).toEqual(encodeGt06.ack(0x01, 1));
  });

  afterAll(async () => {
    jt808Terminal?.close();
    gt06Terminal?.close();
    await ingest?.close();
    await bus?.close();
    await t?.close();
    await broker?.close();
  });

  it('JT/T 808 text (0x8300) with its flags, acknowledged by 0x0001 result 0', async () => {
    const { id, downlink } = await jt808Command({ type: 'text', text: '请前往人民路口', urgent: true, tts: false }, (serial) =>
      encodeJt808.text(target, { flag: jt808TextFlag({ display: true, tts: false, urgent: true }, 2013), text: '请前往人民路口' }, serial),
    );
    respond(downlink, 0);
    expect(await settled(id)).toMatchObject({ status: 'acknowledged', reply: JSON.stringify({ ackId: 0x8300, result: 0 }), error: null });
  });

  it('JT/T 808 set parameters (0x8103), acknowledged by 0x0001', async () => {
    // 0x0040 is text that looks like a number: it must go out as text.
    const parameters = [{ id: 0x0001, value: 30 }, { id: 0x0013, value: 'gps.example.com' }, { id: 0x0031, value: 500 }, { id: 0x0040, value: '95555' }];
    const { id, downlink } = await jt808Command({ type: 'setParameters', parameters }, (serial) => encodeJt808.setParameters(target, parameters, serial));
    expect(downlink).toMatchObject({ name: 'setParameters', params: parameters });
    respond(downlink, 0);
    expect(await settled(id)).toMatchObject({ status: 'acknowledged', reply: JSON.stringify({ ackId: 0x8103, result: 0 }) });
  });

  it('JT/T 808 tracking (0x8202) and terminal control (0x8105)', async () => {
    const tracking = await jt808Command({ type: 'tracking', intervalS: 5, validityS: 600 }, (serial) => encodeJt808.tracking(target, { intervalS: 5, validityS: 600 }, serial));
    respond(tracking.downlink, 0);
    expect(await settled(tracking.id)).toMatchObject({ status: 'acknowledged' });
    const control = await jt808Command({ type: 'control', command: 4 }, (serial) => encodeJt808.control(target, { command: 4, params: '' }, serial));
    respond(control.downlink, 0);
    expect(await settled(control.id)).toMatchObject({ status: 'acknowledged', reply: JSON.stringify({ ackId: 0x8105, result: 0 }) });
  });

  it('JT/T 808 0x0001 with a non-zero result ends the command failed, the result kept as its reply', async () => {
    for (const [result, name] of [[1, 'failure'], [2, 'bad message'], [3, 'unsupported']] as const) {
      const { id, downlink } = await jt808Command({ type: 'control', command: 3 }, (serial) => encodeJt808.control(target, { command: 3, params: '' }, serial));
      respond(downlink, result);
      const done = await settled(id);
      expect(done).toMatchObject({ status: 'failed', reply: JSON.stringify({ ackId: 0x8105, result }) });
      expect(done.error).toContain(`result ${result} (${name})`);
    }
  });

  it('JT/T 808 locate (0x8201) is answered by 0x0201: acknowledged with the fix, which is stored', async () => {
    const { id, downlink } = await jt808Command({ type: 'locate' }, (serial) => encodeJt808.locationQuery(target, serial));
    const fixTimeMs = Date.parse('2026-04-01T10:00:00Z');
    jt808Terminal.send(encodeJt808.locationReply(target, { ackSerial: downlink.header.serial, location: { lat: 22.5431, lon: 114.0579, fixTimeMs, speedKmh: 0, course: 0 } }, terminalSerial++));
    expect(jt808(await jt808Terminal.readJt808())).toMatchObject({ name: 'platformAck', ackId: 0x0201, result: 0 });
    expect(await settled(id)).toMatchObject({ status: 'acknowledged', reply: JSON.stringify({ fixTime: '2026-04-01T10:00:00.000Z', lat: 22.5431, lon: 114.0579 }) });
    expect((await listPositions(t.db.client, jt808Id, fixTimeMs, fixTimeMs)).map((p) => [p.lat, p.lon])).toEqual([[22.5431, 114.0579]]);
  });

  it('JT/T 808 parameter queries (0x8104 all, 0x8106 some) are answered by 0x0104 with the values', async () => {
    const all = await jt808Command({ type: 'queryParameters' }, (serial) => encodeJt808.queryParameters(target, serial));
    jt808Terminal.send(encodeJt808.parameters(target, { ackSerial: all.downlink.header.serial, params: [{ id: 0x0001, value: 30 }, { id: 0x0013, value: 'gps.example.com' }] }, terminalSerial++));
    expect(jt808(await jt808Terminal.readJt808())).toMatchObject({ name: 'platformAck', ackId: 0x0104, result: 0 });
    expect(JSON.parse((await settled(all.id)).reply!)).toEqual([{ id: '0x0001', value: 30 }, { id: '0x0013', value: 'gps.example.com' }]);

    const some = await jt808Command({ type: 'queryParameters', ids: [0x0029] }, (serial) => encodeJt808.querySomeParameters(target, [0x0029], serial));
    jt808Terminal.send(encodeJt808.parameters(target, { ackSerial: some.downlink.header.serial, params: [{ id: 0x0029, value: 10 }] }, terminalSerial++));
    await jt808Terminal.readJt808();
    expect(await settled(some.id)).toMatchObject({ status: 'acknowledged', reply: JSON.stringify([{ id: '0x0029', value: 10 }]) });
  });

  it('JT/T 808 custom raw: the message id and body framed with the session serial and the phone, matched by 0x0001', async () => {
    // A vendor message whose body holds both bytes the frame must escape (7E, 7D).
    const body = { type: 'custom', messageId: 0x8f01, bodyHex: '7E7d0102' };
    const { id, downlink } = await jt808Command(body, (serial) => encodeJt808.frame(target, 0x8f01, Buffer.from('7e7d0102', 'hex'), serial));
    expect(downlink).toMatchObject({ name: 'unknown', header: { id: 0x8f01, uniqueId: JT808_PHONE }, body: Buffer.from('7e7d0102', 'hex') });
    // A reply to another serial is not this command's.
    jt808Terminal.send(encodeJt808.terminalResponse(target, { ackSerial: (downlink.header.serial + 1) & 0xffff, ackId: 0x8f01, result: 0 }, terminalSerial++));
    await jt808Terminal.drain(100);
    expect(await read(id)).toMatchObject({ status: 'sent', correlation: downlink.header.serial });
    respond(downlink, 0);
    expect(await settled(id)).toMatchObject({ status: 'acknowledged', reply: JSON.stringify({ ackId: 0x8f01, result: 0 }) });

    const empty = await jt808Command({ type: 'custom', messageId: 0x8201 }, (serial) => encodeJt808.locationQuery(target, serial));
    respond(empty.downlink, 3);
    expect(await settled(empty.id)).toMatchObject({ status: 'failed', reply: JSON.stringify({ ackId: 0x8201, result: 3 }) });
  });

  it('GT06 text, locate, engine stop/resume and custom go out as 0x80 and are matched to 0x15 by server flag', async () => {
    const cases: [object, string][] = [
      [{ type: 'text', text: 'Go to site' }, 'Go to site'],
      [{ type: 'text', text: '请前往现场' }, '请前往现场'],
      [{ type: 'locate' }, 'WHERE#'],
      [{ type: 'engineStop' }, 'Relay,1#'],
      [{ type: 'engineResume' }, 'Relay,0#'],
      [{ type: 'custom', text: 'STATUS#' }, 'STATUS#'],
    ];
    let serial = 2;
    for (const [body, text] of cases) {
      const command = await post(gt06Id, body);
      const frame = await gt06Terminal.readGt06();
      const downlink = decodeGt06(frame);
      if (downlink instanceof FrameError || downlink.name !== 'serverCommand') throw new Error(`expected 0x80, got ${JSON.stringify(downlink)}`);
      const utf16 = !/^[\x20-\x7e]*$/.test(text);
      expect(frame.toString('hex')).toBe(encodeGt06.command(command.id, text, downlink.serial, { utf16 }).toString('hex'));
      await eventually(() => read(command.id), (c) => c.status === 'sent');
      gt06Terminal.send(encodeGt06.commandReply(command.id, `${text} OK`, serial++, { utf16 }));
      expect(await settled(command.id)).toMatchObject({ status: 'acknowledged', correlation: command.id, reply: `${text} OK` });
    }
  });

  it("refuses a type the device's protocol cannot carry with a 400 naming 'type'", async () => {
    for (const type of ['engineStop', 'engineResume']) {
      const response = await api('POST', `/api/devices/${jt808Id}/commands`, { type });
      expect(response.json(), type).toMatchObject({ statusCode: 400, field: 'type' });
    }
    for (const body of [{ type: 'tracking', intervalS: 5, validityS: 60 }, { type: 'queryParameters' }, { type: 'setParameters', parameters: [{ id: 1, value: 1 }] }, { type: 'control', command: 4 }]) {
      const response = await api('POST', `/api/devices/${gt06Id}/commands`, body);
      expect(response.json(), body.type).toMatchObject({ statusCode: 400, field: 'type' });
    }
  });

  it('refuses with a 400 naming the field what the terminal\'s frames cannot hold', async () => {
    const cases: [number, object, string, string][] = [
      // One 0x8300 body is 1023 bytes: 600 Chinese characters are 1200 in GBK.
      [jt808Id, { type: 'text', text: '请'.repeat(600) }, 'text', 'exceeds 1023'],
      // A GT06 0x80 command holds 251 bytes: 130 characters in UTF-16 are 260.
      [gt06Id, { type: 'text', text: '请'.repeat(130) }, 'text', 'must be 1 to 251 bytes'],
      [gt06Id, { type: 'custom', text: 'A'.repeat(252) }, 'text', 'must be 1 to 251 bytes'],
      [jt808Id, { type: 'setParameters', parameters: [{ id: 0x0001, value: '30' }] }, 'parameters', 'parameter 0x1 takes a number, not text'],
      [jt808Id, { type: 'setParameters', parameters: [{ id: 0x0013, value: 30 }] }, 'parameters', 'parameter 0x13 takes text, not a number'],
      [jt808Id, { type: 'setParameters', parameters: [{ id: 0x0084, value: 300 }] }, 'parameters', 'must be an integer in 0..255'],
      // A custom command takes the form of the device's protocol.
      [jt808Id, { type: 'custom', text: 'STATUS#' }, 'text', 'messageId and bodyHex, not text'],
      [jt808Id, { type: 'custom', bodyHex: '01' }, 'messageId', 'needs messageId'],
      [jt808Id, { type: 'custom', messageId: 0x0200 }, 'messageId', 'must be >= 32768'],
      [jt808Id, { type: 'custom', messageId: 0x8f01, bodyHex: '0' }, 'bodyHex', 'must match pattern'],
      [jt808Id, { type: 'custom', messageId: 0x8f01, bodyHex: '00'.repeat(1024) }, 'bodyHex', 'must NOT have more than 2046 characters'],
      [gt06Id, { type: 'custom', messageId: 0x8f01, bodyHex: '00' }, 'messageId', 'GT06 custom commands are text'],
      [gt06Id, { type: 'custom' }, 'text', 'needs text'],
    ];
    for (const [deviceId, body, field, message] of cases) {
      const response = await api('POST', `/api/devices/${deviceId}/commands`, body);
      expect(response.json(), JSON.stringify(body).slice(0, 80)).toMatchObject({ statusCode: 400, field });
      expect(response.json().message).toContain(message);
    }
    // What fits exactly is accepted: 251 ASCII bytes for GT06.
    expect((await api('POST', `/api/devices/${gt06Id}/commands`, { type: 'custom', text: 'A'.repeat(251), expiresInSeconds: 1 })).statusCode).toBe(202);
  });

  it('fails, with the reason, a command its terminal cannot carry when the device has no protocol set', async () => {
    const phone = '13920000002';
    const deviceId = (await insertDevice(t.db.client, { uniqueId: phone, name: 'unknown kind', authCode: 'code808' }))!.id;
    const command = await post(deviceId, { type: 'engineStop' });
    expect(command.status).toBe('queued');
    const terminal = await RawTerminal.open(ingest.ports.jt808!);
    try {
      terminal.send(encodeJt808.authenticate({ phone, version: 2013 }, { authCode: 'code808' }, 1));
      await terminal.readJt808();
      expect(await settled(command.id)).toMatchObject({ status: 'failed', error: "command type 'engineStop' is not supported by JT/T 808 terminals" });
      expect((await terminal.drain(200)).length).toBe(0);
    } finally {
      terminal.close();
    }
  });
});
