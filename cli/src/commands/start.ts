import { pino, type Logger } from 'pino';
import { loadStorageSettings, maintainStorage, migrate, openSqlClient, type SqlClient } from '@urbanlink/db';
import { configFromEnv, startApi, type RunningApi } from '@urbanlink/api';
import { ensureWebBuilt } from '@urbanlink/web';
import { createLiveBus, createSqlStore, startEmbeddedBroker, startIngest, type EmbeddedBroker, type Ingest, type LiveBus } from '@urbanlink/ingest';
import type { Command } from '../main.ts';
import { lowerBackgroundThreads } from '../background-threads.ts';
import { loadConfig, type Config } from '../config.ts';

/** A start-up failure with the message an operator reads, in English and Chinese. */
class StartError extends Error {}

function explain(error: unknown, what: string, zh: string): StartError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new StartError(`${what}: the port is already in use / 端口已被占用 (${zh})`);
  if (code === 'EACCES') return new StartError(`${what}: no permission to use the port / 无权使用该端口 (${zh})`);
  return new StartError(`${what}: ${(error as Error).message} (${zh})`);
}

/** Everything started, in order; stopped in reverse. */
interface Running {
  log: Logger;
  client?: SqlClient;
  broker?: EmbeddedBroker;
  bus?: LiveBus;
  ingest?: Ingest;
  api?: RunningApi;
  storageTimer?: NodeJS.Timeout;
}

// Partitions ahead, retention and the daily aggregate (native) or policies (TimescaleDB): at start, then hourly.
const STORAGE_MAINTENANCE_MS = 3_600_000;

async function startAll(config: Config, running: Running): Promise<void> {
  const { log } = running;
  try {
    running.client = await openSqlClient({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    throw new StartError(`cannot reach the database / 无法连接数据库: ${(error as Error).message}`);
  }
  const report = await migrate(running.client);
  if (report.applied.length > 0) log.info({ applied: report.applied }, 'database schema upgraded');
  const storage = loadStorageSettings();
  const client = running.client;
  const maintain = () =>
    maintainStorage(client, storage).catch((error: Error) => log.error({ err: error }, 'storage maintenance failed'));
  await maintain();
  running.storageTimer = setInterval(maintain, STORAGE_MAINTENANCE_MS).unref();

  if (!config.mqttUrl) {
    try {
      running.broker = await startEmbeddedBroker({ port: config.mqttPort });
    } catch (error) {
      throw explain(error, `MQTT broker on port ${config.mqttPort}`, '内置 MQTT 服务无法启动');
    }
  }
  const mqttUrl = config.mqttUrl ?? running.broker!.url;
  // With the embedded broker, ingest and the API share its bus in this process: no MQTT connection inside it.
  const localBus = running.broker?.localBus();
  try {
    running.bus = localBus ?? (await createLiveBus(mqttUrl));
  } catch (error) {
    throw new StartError(`cannot reach the MQTT broker at ${mqttUrl} / 无法连接 MQTT 服务: ${(error as Error).message}`);
  }

  try {
    running.ingest = await startIngest({
      store: createSqlStore(running.client),
      bus: running.bus,
      logger: log.child({ part: 'ingest' }),
      gt06: { port: config.gt06Port },
      jt808: { port: config.jt808Port },
      autoRegister: config.ingest.autoRegister,
      batchMaxSize: config.ingest.batchMaxSize,
      batchWindowMs: config.ingest.batchWindowMs,
      writeConcurrency: config.ingest.writeConcurrency,
      maxHeldPositions: config.ingest.maxHeldPositions,
      idleTimeoutMs: config.ingest.idleTimeoutSeconds * 1_000,
      udpMaxPeers: config.ingest.udpMaxPeers,
      archiveRawFrames: storage.rawFramesArchive,
    });
  } catch (error) {
    throw explain(error, `terminal listeners on ports ${config.gt06Port} (GT06) and ${config.jt808Port} (JT/T 808)`, '终端接入端口无法监听');
  }

  const webRoot = await ensureWebBuilt((line) => log.info(line));
  const ingest = running.ingest;
  try {
    running.api = await startApi({
      client: running.client,
      mqttUrl,
      bus: localBus,
      port: config.httpPort,
      config: configFromEnv(),
      extraMetrics: () => ingest.renderMetrics(),
      logger: log.child({ part: 'api' }),
      webRoot,
    });
  } catch (error) {
    throw explain(error, `HTTP API on port ${config.httpPort}`, 'HTTP 服务无法启动');
  }
}

async function stopAll(running: Running): Promise<void> {
  // Reverse order: no new requests or terminal data, flush and ack what is held, then the bus, then the database.
  clearInterval(running.storageTimer);
  await running.api?.close();
  await running.ingest?.close();
  await running.bus?.close();
  await running.broker?.close();
  await running.client?.close();
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export const startCommand: Command = {
  summary: 'Start the server: terminal listeners, MQTT, API and web console. / 启动服务：终端接入、MQTT、接口与控制台。',
  usage: 'urbanlink start   (configured by environment: DATABASE_URL, DATA_DIR, GT06_PORT, JT808_PORT, MQTT_URL, MQTT_PORT, INGEST_*)',
  options: {},
  async run() {
    const config = loadConfig();
    const log = pino({ name: 'urbanlink', level: config.logLevel });
    const running: Running = { log };
    const signal = waitForSignal();
    try {
      await startAll(config, running);
    } catch (error) {
      await stopAll(running).catch(() => {});
      if (error instanceof StartError) {
        process.stderr.write(`urbanlink start: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    // Last, once every thread the server starts with exists.
    const lowered = await lowerBackgroundThreads(config.backgroundThreadsNice);
    log.debug({ threads: lowered, nice: config.backgroundThreadsNice }, 'background threads lowered');
    const ports = running.ingest!.ports;
    const mqtt = config.mqttUrl ?? running.broker!.url;
    const http = running.api!.app.server.address();
    const httpPort = typeof http === 'object' && http ? http.port : config.httpPort;
    process.stdout.write(
      `urbanlink ready: console and API http://localhost:${httpPort}/, ` +
        `GT06 tcp+udp ${ports.gt06}, JT/T 808 tcp+udp ${ports.jt808}, MQTT ${mqtt}, ` +
        `database ${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`} / 服务已就绪\n`,
    );
    const received = await signal;
    log.info({ signal: received }, 'stopping: flushing held positions / 正在停止');
    await stopAll(running);
    process.stdout.write('urbanlink stopped / 服务已停止\n');
    return 0;
  },
};
