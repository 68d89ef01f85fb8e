import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeGt06 } from '@urbanlink/protocols';
import { insertDevice, listPositions } from '@urbanlink/db';
import { createTestDatabase, type TestDatabase } from '@urbanlink/db/testing';
import { RawTerminal } from '../../ingest/test/helpers.ts';
import { threadNiceValues } from './threads.ts';

const BIN = fileURLToPath(new URL('../bin/urbanlink.mjs', import.meta.url));
const IMEI = '861234567890123';

interface Started {
  child: ChildProcess;
  gt06Port: number;
  httpPort: number;
  output: () => string;
  exit: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { ...process.env, GT06_PORT: '0', JT808_PORT: '0', HTTP_PORT: '0', LOG_LEVEL: 'warn', MQTT_URL: '', MQTT_PORT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, gt06Port: 0, httpPort: 0, output: () => output, exit };
}

/** The server's process: the launcher's child (given the young-generation flag), or the launcher itself. */
function serverPid(launcherPid: number): number {
  const children = readFileSync(`/proc/${launcherPid}/task/${launcherPid}/children`, 'utf8').trim();
  return children ? Number(children.split(' ')[0]) : launcherPid;
}

async function ready(started: Started, timeoutMs = 45_000): Promise<Started> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /API http:\/\/localhost:(\d+)\/, GT06 tcp\+udp (\d+)/.exec(started.output());
    if (match) return { ...started, httpPort: Number(match[1]), gt06Port: Number(match[2]) };
    if (started.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function location(second: number) {
  return {
    uniqueId: IMEI,
    fixTimeMs: Date.parse('2026-03-01T08:00:00Z') + second * 1_000,
    lat: 30.66 + second * 1e-4,
    lon: 104.06 + second * 1e-4,
    altitudeM: 0,
    speedKmh: 36,
    course: 90,
    valid: true,
    satellites: 8,
    ignition: null,
    odometerKm: null,
    fuelL: null,
    alarms: [],
    attributes: {},
  };
}

describe('urbanlink start as a child process', () => {
  let db: TestDatabase;
  let deviceId: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    deviceId = (await insertDevice(db.client, { uniqueId: IMEI, name: 'car 1', protocol: 'gt06' }))!.id;
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('keeps every acknowledged position through SIGKILL, and exits 0 on SIGTERM', async () => {
    const first = await ready(start({ DATABASE_URL: db.url }));
    const terminal = await RawTerminal.open(first.gt06Port);
    terminal.send(encodeGt06.login(IMEI, 1));
    expect(await terminal.read(10)).toEqual(encodeGt06.ack(0x01, 1));
    const count = 200;
    for (let i = 0; i < count; i++) terminal.send(encodeGt06.location(location(i), (i + 2) & 0xffff));
    const acks = await terminal.read(10 * count);
    // Killed the moment the last ack arrived: nothing acknowledged may be missing afterwards.
    first.child.kill('SIGKILL');
    await first.exit;
    expect(acks.subarray(-10)).toEqual(encodeGt06.ack(0x12, count + 1));

    const second = await ready(start({ DATABASE_URL: db.url }));
    const stored = await listPositions(db.client, deviceId, 0, Date.now());
    expect(stored).toHaveLength(count);
    expect(stored.map((p) => p.fixTimeMs)).toEqual(Array.from({ length: count }, (_, i) => location(i).fixTimeMs));

    if (process.platform === 'linux') {
      // BACKGROUND_THREADS_NICE's default: every thread but the event loop's at nice 10 (or lower, when the
      // tests themselves run under `nice`).
      const inherited = getPriority();
      const server = serverPid(second.child.pid!);
      const nice = threadNiceValues(server);
      expect(nice[server]).toBe(inherited);
      const background = Object.entries(nice).filter(([thread]) => Number(thread) !== server);
      expect(background.length).toBeGreaterThanOrEqual(8);
      expect(background.filter(([, value]) => value !== Math.max(inherited, 10))).toEqual([]);
    }

    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
    expect(second.output()).toContain('urbanlink stopped');
  }, 120_000);

  describe('refuses to start', () => {
    let taken: Server;
    let takenPort: number;

    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
      takenPort = (taken.address() as { port: number }).port;
    });

    afterAll(async () => {
      await new Promise((resolve) => taken.close(resolve));
    });

    it('exits non-zero naming the problem when a terminal port is taken', async () => {
      const started = start({ DATABASE_URL: db.url, GT06_PORT: String(takenPort) });
      expect(await started.exit).not.toBe(0);
      expect(started.output()).toContain('already in use');
      expect(started.output()).toContain('端口已被占用');
    }, 60_000);

    it('exits non-zero naming the variable when a setting is bad', async () => {
      const started = start({ DATABASE_URL: db.url, BACKGROUND_THREADS_NICE: '-5' });
      expect(await started.exit).not.toBe(0);
      expect(started.output()).toContain('BACKGROUND_THREADS_NICE must be an integer from 0 to 19');
    }, 60_000);

    it('exits non-zero naming the problem when the database cannot be reached', async () => {
      // A port with a listener that is not PostgreSQL: connection refused would do too, this is faster to fail.
      const started = start({ DATABASE_URL: `postgres://postgres@127.0.0.1:1/nothing` });
      expect(await started.exit).not.toBe(0);
      expect(started.output()).toContain('cannot reach the database');
      expect(started.output()).toContain('无法连接数据库');
    }, 60_000);
  });
});

const ADMIN_PASSWORD = 'start-test-admin-password';

/** The samples of a Prometheus text page, keyed by name and labels as printed (`name{label="x"}`). */
function metricSamples(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

async function getJson<T>(started: Started, path: string, token: string): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${started.httpPort}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

async function signInAsAdmin(started: Started): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${started.httpPort}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function sendPositions(started: Started, count: number): Promise<{ terminal: RawTerminal; acks: Buffer }> {
  const terminal = await RawTerminal.open(started.gt06Port);
  terminal.send(encodeGt06.login(IMEI, 1));
  expect(await terminal.read(10)).toEqual(encodeGt06.ack(0x01, 1));
  for (let i = 0; i < count; i++) terminal.send(encodeGt06.location(location(i), (i + 2) & 0xffff));
  return { terminal, acks: await terminal.read(10 * count) };
}

describe('urbanlink start on the embedded database (PGlite: DATA_DIR, no DATABASE_URL)', () => {
  let dataDir: string;
  let servers: Started[] = [];
  const run = () => {
    const started = start(env());
    servers.push(started);
    return ready(started, 90_000);
  };
  // An empty DATABASE_URL is unset to the config (`|| undefined`), as the MQTT_URL start() already blanks.
  const env = () => ({ DATABASE_URL: '', DATA_DIR: dataDir, URBANLINK_ADMIN_PASSWORD: ADMIN_PASSWORD, INGEST_AUTO_REGISTER: 'true' });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'urbanlink-start-pglite-'));
  });

  afterEach(async () => {
    // A test that failed half-way leaves no server holding the data directory.
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await Promise.all(servers.map((server) => server.exit));
    servers = [];
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged position when the server process is SIGKILLed and restarted on the same DATA_DIR', async () => {
    const first = await run();
    const count = 200;
    const { terminal, acks } = await sendPositions(first, count);
    // The server process itself (it holds the PGlite files), killed the moment the last ack arrived; the launcher
    // exits with it, so the restart below never shares the data directory with it.
    process.kill(serverPid(first.child.pid!), 'SIGKILL');
    await first.exit;
    terminal.close();
    expect(acks.subarray(-10)).toEqual(encodeGt06.ack(0x12, count + 1));

    const second = await run();
    try {
      const token = await signInAsAdmin(second);
      const devices = await getJson<{ id: number; uniqueId: string }[]>(second, '/api/devices', token);
      const device = devices.find((d) => d.uniqueId === IMEI);
      expect(device, 'the auto-registered device').toBeDefined();
      const period = new URLSearchParams({ from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' });
      const stored = await getJson<{ fixTime: string }[]>(second, `/api/devices/${device!.id}/positions?${period}`, token);
      expect(stored.map((p) => Date.parse(p.fixTime))).toEqual(Array.from({ length: count }, (_, i) => location(i).fixTimeMs));
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exit).toBe(0);
    }
  }, 240_000);

  it('serves ingest metrics on /metrics after a terminal has sent positions', async () => {
    const started = await run();
    try {
      const count = 20;
      const { terminal, acks } = await sendPositions(started, count);
      expect(acks.subarray(-10)).toEqual(encodeGt06.ack(0x12, count + 1));
      const response = await fetch(`http://127.0.0.1:${started.httpPort}/metrics`);
      expect(response.status).toBe(200);
      const samples = metricSamples(await response.text());
      terminal.close();

      expect(samples.get('urbanlink_ingest_positions_stored_total')).toBe(count);
      expect(samples.get('urbanlink_ingest_positions_duplicate_total')).toBe(0);
      // Login and locations in, one ack out for each.
      expect(samples.get('urbanlink_ingest_frames_in_total{protocol="gt06"}')).toBe(count + 1);
      expect(samples.get('urbanlink_ingest_frames_out_total{protocol="gt06"}')).toBe(count + 1);
      expect(samples.get('urbanlink_ingest_frames_in_total{protocol="jt808"}')).toBe(0);
      // Every stored position went through exactly one committed batch, each timed.
      const batches = samples.get('urbanlink_ingest_batch_size_count')!;
      expect(batches).toBeGreaterThanOrEqual(1);
      expect(batches).toBeLessThanOrEqual(count);
      expect(samples.get('urbanlink_ingest_batch_size_sum')).toBe(count);
      expect(samples.get('urbanlink_ingest_batch_size_bucket{le="+Inf"}')).toBe(batches);
      expect(samples.get('urbanlink_ingest_commit_seconds_count')).toBe(batches);
      const commitSeconds = samples.get('urbanlink_ingest_commit_seconds_sum')!;
      expect(commitSeconds).toBeGreaterThan(0);
      expect(commitSeconds).toBeLessThan(60);
      expect(samples.get('urbanlink_ingest_ack_seconds_count')).toBe(count + 1);
      const ackSeconds = samples.get('urbanlink_ingest_ack_seconds_sum')!;
      expect(ackSeconds).toBeGreaterThan(0);
      expect(ackSeconds).toBeLessThan(60 * (count + 1));
      expect(samples.get('urbanlink_ingest_connections_total{protocol="gt06"}')).toBe(1);
      expect(samples.get('urbanlink_ingest_connections')).toBe(1);
      expect(samples.get('urbanlink_ingest_positions_held')).toBe(0);
      expect(samples.get('urbanlink_ingest_write_failures_total')).toBe(0);
    } finally {
      started.child.kill('SIGTERM');
      expect(await started.exit).toBe(0);
    }
  }, 180_000);
});
