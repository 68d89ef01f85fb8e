import type { Command } from '../main.ts';
import { createSimulatedDevices } from '../simulator/create-devices.ts';
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
    '[--create-devices] [--first-device N]',
  options: {
    protocol: { type: 'string' },
    devices: { type: 'string' },
    interval: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    duration: { type: 'string' },
    'create-devices': { type: 'boolean' },
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
      if (!databaseUrl) {
        throw new Error(
          '--create-devices writes to the database named by DATABASE_URL; with embedded PGlite start the server with INGEST_AUTO_REGISTER=true instead / ' +
            '--create-devices 需要设置 DATABASE_URL；使用内置 PGlite 时请以 INGEST_AUTO_REGISTER=true 启动服务',
        );
      }
      const created = await createSimulatedDevices(databaseUrl, protocol, fleet.uniqueIds);
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
