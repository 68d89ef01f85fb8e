import { pino, type Logger } from 'pino';
import { positionToJson, type Position } from '@urbanlink/protocols';
import { BatchWriter } from './batch-writer.ts';
import { topics, type LiveBus } from './bus.ts';
import { CommandCenter, type CommandEvent } from './commands.ts';
import { DeviceDirectory } from './devices.ts';
import { DeviceStates } from './device-state.ts';
import { IngestMetrics } from './metrics.ts';
import { RawArchive } from './raw-archive.ts';
import { Gt06Session } from './gt06-session.ts';
import { Jt808Session } from './jt808-session.ts';
import type { SessionContext, SessionOptions } from './session-context.ts';
import type { DeviceRecord, IngestStore, PositionRow } from './store.ts';
import type { CreateHandler, Link } from './transport/link.ts';
import { TcpTerminalServer } from './transport/tcp-server.ts';
import { UdpTerminalServer } from './transport/udp-server.ts';

export interface ListenOptions {
  /** TCP and UDP port (0 = any free port). */
  port: number;
  host?: string;
  udp?: boolean;
}

export interface IngestOptions {
  store: IngestStore;
  /** Where positions and events are published; without one nothing is published. */
  bus?: LiveBus;
  logger?: Logger;
  gt06?: ListenOptions | false;
  jt808?: ListenOptions | false;
  /** Create devices for unknown terminals instead of refusing them (off by default). */
  autoRegister?: boolean;
  /** Group commit: flush at this many positions … */
  batchMaxSize?: number;
  /** … or this long after the first one arrived. */
  batchWindowMs?: number;
  /** Group commits in flight at once (each on its own database connection). */
  writeConcurrency?: number;
  /** Positions held (waiting or being written) before TCP reading stops and UDP datagrams are dropped. */
  maxHeldPositions?: number;
  /** A silent connection is closed after this long. */
  idleTimeoutMs?: number;
  /** Device state (latest position, online) is written at most this often per device. */
  stateFlushMs?: number;
  /** Metrics are logged this often (0 = never), until the API serves /metrics. */
  metricsLogMs?: number;
  session?: Partial<SessionOptions>;
  /** Keep every raw frame in and out in the raw_frames table (RAW_FRAMES_ARCHIVE=on). */
  archiveRawFrames?: boolean;
}

export interface Ingest {
  /** Bound ports, useful when 0 was asked for. */
  readonly ports: { gt06?: number; jt808?: number };
  readonly metrics: IngestMetrics;
  renderMetrics(): string;
  /** A command was queued for this device (the API's MQTT command message, or a direct call). */
  commandQueued(uniqueId: string): void;
  /** Stops accepting, writes and acknowledges what is held, records devices offline, closes connections. */
  close(): Promise<void>;
}

interface Held {
  row: PositionRow;
  uniqueId: string;
}

/** Starts the terminal listeners and the pipeline behind them. */
export async function startIngest(options: IngestOptions): Promise<Ingest> {
  const log = options.logger ?? pino({ name: 'ingest' });
  const { store, bus } = options;
  const metrics = new IngestMetrics();
  const states = new DeviceStates();
  const devices = new DeviceDirectory(store, { autoRegister: options.autoRegister ?? false });
  const publishEvent = (uniqueId: string, event: object) => bus?.publish(topics.event(uniqueId), { uniqueId, time: new Date().toISOString(), ...event });
  const commands = new CommandCenter(store, log, (uniqueId, event: CommandEvent) => publishEvent(uniqueId, event));
  const tcpServers: TcpTerminalServer[] = [];
  const udpServers: UdpTerminalServer[] = [];

  const afterCommit = (held: Held[], inserted: boolean[]) => {
    const now = Date.now();
    for (let i = 0; i < held.length; i++) {
      const { row, uniqueId } = held[i]!;
      if (!inserted[i]) {
        // A resend of what is already stored: acknowledged again, not published again.
        metrics.positionsDuplicate.inc();
        continue;
      }
      metrics.positionsStored.inc();
      states.stored(row.deviceId, row.position, now);
      if (!bus) continue;
      bus.publish(topics.position(uniqueId), { deviceId: row.deviceId, uniqueId, ...positionToJson(row.position) });
      if (row.position.alarms.length > 0) {
        publishEvent(uniqueId, { type: 'alarm', deviceId: row.deviceId, alarms: row.position.alarms, position: positionToJson(row.position) });
      }
    }
  };

  const writer = new BatchWriter<Held, boolean>({
    maxBatch: options.batchMaxSize ?? 1_000,
    windowMs: options.batchWindowMs ?? 5,
    capacity: options.maxHeldPositions ?? 20_000,
    maxInFlight: options.writeConcurrency ?? 2,
    async write(items) {
      const inserted = await store.writePositions(items.map((held) => held.row));
      afterCommit(items, inserted);
      return inserted;
    },
    onSaturation(saturated) {
      log.warn({ held: writer.held }, saturated ? 'database behind: pausing terminal input' : 'database caught up: resuming terminal input');
      for (const server of tcpServers) {
        if (saturated) server.pause();
        else server.resume();
      }
    },
    onWrite(size, durationMs, error) {
      if (error) {
        metrics.writeFailures.inc();
        log.warn({ err: error, size }, 'position write failed; terminals will resend');
        return;
      }
      metrics.batchSize.observe(size);
      metrics.commitSeconds.observe(durationMs / 1_000);
    },
  });

  const archive = options.archiveRawFrames ? new RawArchive(store, log) : null;
  const ctx: SessionContext = {
    metrics,
    log,
    devices,
    archive,
    options: {
      jt808TimeZoneOffsetMinutes: options.session?.jt808TimeZoneOffsetMinutes ?? 480,
      lenient: options.session?.lenient ?? false,
    },
    async storePositions(device: DeviceRecord, positions: Position[]) {
      await Promise.all(
        positions.map((position) => writer.add({ row: { deviceId: device.id, position }, uniqueId: device.uniqueId })),
      );
    },
    attach(session) {
      const device = session.device!;
      if (states.connected(device.id, Date.now(), session.link)) publishEvent(device.uniqueId, { type: 'status', deviceId: device.id, status: 'online' });
      commands.attach(session);
    },
    detach(session) {
      const device = session.device!;
      commands.detach(session);
      if (states.disconnected(device.id, Date.now())) publishEvent(device.uniqueId, { type: 'status', deviceId: device.id, status: 'offline' });
    },
    commandReply(device, correlation, reply) {
      commands.reply(device.id, device.uniqueId, correlation, reply);
    },
    lastPosition(device) {
      return states.latestPosition(device.id);
    },
  };

  let flushing: Promise<void> = Promise.resolve();
  const flushStates = () => {
    flushing = flushing.then(async () => {
      const rows = states.takeChanges();
      if (rows.length === 0) return;
      try {
        await store.upsertDeviceStates(rows);
      } catch (error) {
        states.restore(rows);
        log.warn({ err: error, devices: rows.length }, 'device state write failed; will retry');
      }
    });
    return flushing;
  };
  const stateTimer = setInterval(flushStates, options.stateFlushMs ?? 1_000);
  stateTimer.unref();

  const idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
  const ports: { gt06?: number; jt808?: number } = {};
  const listeners: [keyof typeof ports, ListenOptions | false | undefined, (link: Link) => Gt06Session | Jt808Session][] = [
    ['gt06', options.gt06, (link) => new Gt06Session(link, ctx)],
    ['jt808', options.jt808, (link) => new Jt808Session(link, ctx)],
  ];
  try {
    for (const [protocol, listen, create] of listeners) {
      if (!listen) continue;
      const createHandler: CreateHandler = (link) => {
        if (link.transport === 'tcp') metrics.connectionsOpened.inc({ protocol });
        return create(link);
      };
      const tcp = new TcpTerminalServer({ port: listen.port, host: listen.host, idleTimeoutMs, createHandler });
      const port = await tcp.listen();
      tcpServers.push(tcp);
      ports[protocol] = port;
      if (listen.udp !== false) {
        const udp = new UdpTerminalServer({
          port,
          host: listen.host,
          idleTimeoutMs,
          createHandler,
          shouldDrop: () => writer.saturated,
          onDrop: () => metrics.udpDropped.inc({ protocol }),
        });
        await udp.listen();
        udpServers.push(udp);
      }
    }
  } catch (error) {
    for (const server of tcpServers) await server.stopAccepting();
    for (const server of udpServers) await server.close();
    clearInterval(stateTimer);
    throw error;
  }

  metrics.addGauge('urbanlink_ingest_connections', 'Open TCP terminal connections.', () => tcpServers.reduce((sum, server) => sum + server.connections, 0));
  metrics.addGauge('urbanlink_ingest_udp_peers', 'UDP peers with a live session.', () => udpServers.reduce((sum, server) => sum + server.peerCount, 0));
  if (archive) metrics.addGauge('urbanlink_ingest_raw_frames_dropped', 'Raw frames the archive could not keep.', () => archive.dropped);
  metrics.addGauge('urbanlink_ingest_positions_held', 'Positions waiting for or in a database write.', () => writer.held);

  const metricsLogMs = options.metricsLogMs ?? 60_000;
  const metricsTimer = metricsLogMs > 0 ? setInterval(() => log.info(summary(metrics, writer.held), 'ingest metrics'), metricsLogMs) : undefined;
  metricsTimer?.unref();

  if (bus) {
    await bus.subscribe(topics.allCommands, (topic) => {
      const uniqueId = topic.split('/')[3];
      if (uniqueId) commands.queued(uniqueId);
    });
  }

  return {
    ports,
    metrics,
    renderMetrics: () => metrics.render(),
    commandQueued: (uniqueId) => commands.queued(uniqueId),
    async close() {
      for (const server of tcpServers) await server.stopAccepting();
      for (const server of udpServers) await server.close();
      // Acks for what is written here still reach the terminals: their sockets are closed afterwards.
      await writer.release();
      await commands.settled();
      for (const server of tcpServers) await server.closeAll();
      clearInterval(stateTimer);
      if (metricsTimer) clearInterval(metricsTimer);
      await flushStates();
      await archive?.flush();
    },
  };
}

function summary(metrics: IngestMetrics, held: number): Record<string, number> {
  return {
    framesIn: metrics.framesIn.get({ protocol: 'gt06' }) + metrics.framesIn.get({ protocol: 'jt808' }),
    positionsStored: metrics.positionsStored.get(),
    writeFailures: metrics.writeFailures.get(),
    commits: metrics.commitSeconds.count,
    meanBatch: metrics.batchSize.count ? Math.round(metrics.batchSize.sum / metrics.batchSize.count) : 0,
    held,
  };
}
