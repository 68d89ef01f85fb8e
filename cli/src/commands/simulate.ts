import type { Command } from '../main.ts';
import { createDevicesInDatabase, createDevicesThroughApi } from '../simulator/create-devices.ts';
import { Fleet, type SimulatedProtocol } from '../simulator/fleet.ts';

const PROGRESS_EVERY_MS = 5_000;

function positiveNumber(value: string | boolean | undefined, name: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(number) || number <= 0) {
    throw new Error(`--${name} must be a positive number / --${name} 必须是正数`);
  }
  return number;
}

function progress(fleet: Fleet): string {
  const s = fleet.stats;
  return (
    `connected ${s.connected}, logged in ${s.loggedIn}` +
    (s.refused ? `, refused ${s.refused}` : '') +
    `, sent ${s.sent}, acked ${s.acked}, pending ${fleet.pending}, resent ${s.resent}` +
    (s.commandsReceived ? `, commands ${s.commandsReceived}` : '') +
    `, ack p50 ${s.latency.percentile(0.5).toFixed(1)} ms p99 ${s.latency.percentile(0.99).toFixed(1)} ms`
  );
}

export const simulateCommand: Command = {
  summary: 'Drive simulated vehicles against a server, showing progress. / 模拟车辆终端连接服务器并显示进度。',
  usage:
    'urbanlink simulate --protocol gt06|jt808 --devices N --interval SECONDS [--host H] [--port P] [--duration SECONDS] ' +
    '[--create-devices [--api URL --user NAME --password PASSWORD]] [--first-device N]',
  options: {
    protocol: { type: 'string' },
    devices: { type: 'string' },
    interval: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    duration: { type: 'string' },
    'create-devices': { type: 'boolean' },
    api: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    'first-device': { type: 'string' },
  },
  async run(values) {
    const protocol = values.protocol as SimulatedProtocol | undefined;
    if (protocol !== 'gt06' && protocol !== 'jt808') throw new Error('--protocol must be gt06 or jt808 / --protocol 须为 gt06 或 jt808');
    const devices = positiveNumber(values.devices, 'devices');
    const intervalS = positiveNumber(values.interval, 'interval');
    const port = positiveNumber(values.port, 'port', protocol === 'gt06' ? Number(process.env.GT06_PORT || 5023) : Number(process.env.JT808_PORT || 5015));
    const durationS = values.duration === undefined ? undefined : positiveNumber(values.duration, 'duration');
    const fleet = new Fleet({
      protocol,
      devices: Math.floor(devices),
      intervalS,
      host: typeof values.host === 'string' ? values.host : '127.0.0.1',
      port,
      firstDevice: values['first-device'] === undefined ? 1 : Math.floor(positiveNumber(values['first-device'], 'first-device')),
    });

    if (values['create-devices']) {
      const databaseUrl = process.env.DATABASE_URL;
      let created: number;
      if (typeof values.api === 'string') {
        const password = typeof values.password === 'string' ? values.password : process.env.URBANLINK_ADMIN_PASSWORD;
        if (!password) throw new Error('--api needs --password (or URBANLINK_ADMIN_PASSWORD) / --api 需要 --password');
        const username = typeof values.user === 'string' ? values.user : 'admin';
        created = await createDevicesThroughApi({ url: values.api, username, password }, protocol, fleet.uniqueIds);
      } else if (databaseUrl) {
        created = await createDevicesInDatabase(databaseUrl, protocol, fleet.uniqueIds);
      } else {
        throw new Error(
          '--create-devices needs --api URL (a running server) or DATABASE_URL / --create-devices 需要 --api 服务地址或 DATABASE_URL',
        );
      }
      process.stdout.write(`devices: ${created} created, ${fleet.uniqueIds.length - created} already present / 已创建设备\n`);
    }

    fleet.start();
    process.stdout.write(`simulating ${fleet.uniqueIds.length} ${protocol} vehicles every ${intervalS} s → ${typeof values.host === 'string' ? values.host : '127.0.0.1'}:${port} / 开始模拟\n`);
    const timer = setInterval(() => process.stdout.write(`${progress(fleet)}\n`), PROGRESS_EVERY_MS);
    await new Promise<void>((resolve) => {
      const done = () => {
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve();
      };
      process.on('SIGINT', done);
      process.on('SIGTERM', done);
      if (durationS !== undefined) setTimeout(done, durationS * 1_000);
    });
    clearInterval(timer);
    // Give the last reports a moment to be acknowledged before counting.
    const deadline = Date.now() + 2_000;
    while (fleet.pending > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    fleet.stop();
    process.stdout.write(`done: ${progress(fleet)} / 模拟结束\n`);
    if (fleet.stats.acked === 0) {
      process.stderr.write('urbanlink simulate: no position was acknowledged; is the server running and are the devices registered? / 没有任何位置被确认\n');
      return 1;
    }
    return 0;
  },
};
