import { pino, type Logger } from 'pino';
import type { Position } from '@urbanlink/protocols';
import { topics, type LiveBus } from './bus.ts';
import { CommandCenter, type CommandEvent } from './commands.ts';
import { DeviceDirectory } from './devices.ts';
import { DeviceStates } from './device-state.ts';
import { startDeviceStateWriter } from './device-state-writer.ts';
import { IngestMetrics } from './metrics.ts';
import { RawArchive } from './raw-archive.ts';
import { Gt06Session } from './gt06-session.ts';
import { Jt808Session } from './jt808-session.ts';
import { Listeners, type ListenOptions } from './listeners.ts';
import { createPositionWriter, type HeldPosition } from './position-writer.ts';
import { sessionOptions, type SessionContext, type SessionOptions } from './session-context.ts';
import type { DeviceRecord, IngestStore } from './store.ts';

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
  /** UDP sessions kept at once on each protocol's port; datagrams from further new peers are dropped. */
  udpMaxPeers?: number;
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

// A module function, not a closure made per frame: tsx names each closure it creates (keepNames), which
// measured ~0.2 µs a position.
function heldPosition(device: DeviceRecord, position: Position): HeldPosition {
  return { deviceId: device.id, uniqueId: device.uniqueId, position, attributesJson: JSON.stringify(position.attributes) };
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
  let listeners: Listeners | undefined;
  const writer = createPositionWriter({
    store,
    bus,
    metrics,
    states,
    log,
    publishEvent,
    onSaturation: (saturated) => (saturated ? listeners?.pause() : listeners?.resume()),
    maxBatch: options.batchMaxSize ?? 2_000,
    windowMs: options.batchWindowMs ?? 5,
    capacity: options.maxHeldPositions ?? 20_000,
    concurrency: options.writeConcurrency ?? 3,
  });
  const archive = options.archiveRawFrames ? new RawArchive(store, log) : null;
  const ctx: SessionContext = {
    metrics,
    log,
    devices,
    archive,
    options: sessionOptions(options.session),
    storePositions(device: DeviceRecord, positions: Position[], stored: (ok: boolean) => void) {
      // A frame with several positions (JT/T 808 0x0704) is acknowledged once all of them are stored; one with
      // none has nothing to wait for.
      if (positions.length === 0) {
        stored(true);
        return;
      }
      let waiting = positions.length;
      let failed = false;
      for (const position of positions) {
        writer.add(heldPosition(device, position), (error) => {
          failed ||= error !== null;
          if (--waiting === 0) stored(!failed);
        });
      }
    },
    attach(session) {
      const device = session.device!;
      store.deviceConnected(device.id);
      if (states.connected(device.id, Date.now(), session.link)) publishEvent(device.uniqueId, { type: 'status', deviceId: device.id, status: 'online' });
      commands.attach(session);
    },
    detach(session) {
      const device = session.device!;
      commands.detach(session);
      if (states.disconnected(device.id, Date.now())) publishEvent(device.uniqueId, { type: 'status', deviceId: device.id, status: 'offline' });
    },
    seen(device) {
      states.seen(device.id, Date.now());
    },
    commandReply(device, correlation, reply, refusal) {
      commands.reply(device.id, device.uniqueId, correlation, reply, refusal);
    },
    async lastPosition(device) {
      return states.latestPosition(device.id) ?? (await store.latestPosition(device.id));
    },
  };

  const idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
  await markCrashedSessionsOffline(store, idleTimeoutMs, log, publishEvent);
  const stateWriter = startDeviceStateWriter(states, store, log, options.stateFlushMs ?? 1_000);
  try {
    listeners = await Listeners.start({
      protocols: { gt06: options.gt06, jt808: options.jt808 },
      idleTimeoutMs,
      udpMaxPeers: options.udpMaxPeers ?? 50_000,
      metrics,
      createSession: (protocol, link) => (protocol === 'gt06' ? new Gt06Session(link, ctx) : new Jt808Session(link, ctx)),
      shouldDrop: () => writer.saturated,
    });
  } catch (error) {
    stateWriter.stop();
    throw error;
  }
  const started = listeners;
  if (archive) metrics.addGauge('urbanlink_ingest_raw_frames_dropped', 'Raw frames the archive could not keep.', () => archive.dropped);
  if (bus?.dropped !== undefined) metrics.addGauge('urbanlink_ingest_mqtt_dropped', 'Live messages dropped while the MQTT broker was unreachable.', () => bus.dropped ?? 0);
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
    ports: started.ports,
    metrics,
    renderMetrics: () => metrics.render(),
    commandQueued: (uniqueId) => commands.queued(uniqueId),
    async close() {
      await started.stopAccepting();
      // Acks for what is written here still reach the terminals: their sockets are closed afterwards.
      await writer.release();
      await commands.settled();
      await started.closeAll();
      stateWriter.stop();
      if (metricsTimer) clearInterval(metricsTimer);
      await stateWriter.flush();
      await archive?.flush();
    },
  };
}

/**
 * Only a clean disconnect records a device offline; one whose ingest process was killed stays online in the
 * database. At start, before this process holds any connection, devices silent for twice the idle timeout are
 * set offline: a live process (this one or another) has closed or heard from each of its connections by then.
 */
async function markCrashedSessionsOffline(
  store: IngestStore,
  idleTimeoutMs: number,
  log: Logger,
  publishEvent: (uniqueId: string, event: object) => void,
): Promise<void> {
  try {
    const stale = await store.markStaleDevicesOffline(Date.now() - 2 * idleTimeoutMs);
    for (const { deviceId, uniqueId } of stale) publishEvent(uniqueId, { type: 'status', deviceId, status: 'offline' });
    if (stale.length > 0) log.info({ devices: stale.length }, 'devices left online by a stopped process marked offline');
  } catch (error) {
    // Not worth refusing to start over: the next start tries again, and a device that connects is rewritten.
    log.warn({ err: error }, 'could not mark stale devices offline');
  }
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
