import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { Position } from '@urbanlink/protocols';
import { createBrokerBus, OutsideSubscriptions } from './broker-bus.ts';
import { positionMessage } from './position-message.ts';
import { topics } from './topics.ts';
import { topicMatcher } from './topic-filter.ts';
import { corkUntilNextTick } from './transport/cork.ts';

export { TOPIC_PREFIX, topics } from './topics.ts';

export interface EmbeddedBroker {
  /** mqtt://127.0.0.1:PORT, for in-process and local clients. */
  readonly url: string;
  readonly port: number;
  /**
   * A LiveBus for this process: no MQTT encoding, socket or parsing on the way (broker-bus.ts). Subscribers
   * over TCP receive its messages as from any client.
   */
  localBus(): LocalBus;
  close(): Promise<void>;
}

/**
 * An in-process aedes broker on TCP. With `port` it serves outside clients on that port (all interfaces);
 * without, it listens on an ephemeral loopback port only this process's clients use.
 */
export async function startEmbeddedBroker(options: { port?: number | undefined; host?: string } = {}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const outside = new OutsideSubscriptions(broker);
  const server: Server = createServer(broker.handle);
  const host = options.host ?? (options.port === undefined ? '127.0.0.1' : '0.0.0.0');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // aedes closes its clients on close(); track the sockets so server.close() is not held by a half-open one.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    localBus: () => createBrokerBus(broker, outside),
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A message's topic and payload: as received over MQTT, or the JSON text published in this process. */
export type MessageHandler = (topic: string, payload: Buffer | string) => void;

/** A stored position handed over as a value, in the process that stored it. */
export type PositionHandler = (deviceId: number, uniqueId: string, position: Position) => void;

/** The process's one connection to the MQTT broker: publish live data, subscribe to command requests. */
export interface LiveBus {
  publish(topic: string, payload: unknown): void;
  /** `json` is already the payload's JSON text (positions are written out field by field on the hot path). */
  publishJson(topic: string, json: string): void;
  /**
   * A stored position, on `urbanlink/v1/devices/{uniqueId}/position` (position-message.ts has its JSON).
   * `attributesJson` is the JSON of its attributes, made once for the stored row and the message.
   */
  publishPosition(deviceId: number, uniqueId: string, position: Position, attributesJson: string): void;
  subscribe(filter: string, handler: MessageHandler): Promise<void>;
  /**
   * Messages dropped because the broker was unreachable when they were published; absent on a bus to a
   * broker in this process, which cannot be.
   */
  readonly dropped?: number;
  close(): Promise<void>;
}

/**
 * The embedded broker's bus, for this process: it can also hand every position published here to a subscriber
 * as the value itself (the API in the same process), so that it is never written out as JSON and parsed back.
 */
export interface LocalBus extends LiveBus {
  subscribePositions(handler: PositionHandler): void;
}

export async function createLiveBus(url: string, options: { clientId?: string } = {}): Promise<LiveBus> {
  const client: MqttClient = await mqtt.connectAsync(url, {
    clientId: options.clientId ?? `urbanlink-ingest-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectPeriod: 1_000,
    // Live data is a stream of latest values: nothing to keep for a client that comes back.
    clean: true,
    // mqtt.js would otherwise queue every QoS 0 message while the broker is down, without limit.
    queueQoSZero: false,
  });
  // Without a listener an 'error' event would throw; the client reconnects by itself.
  client.on('error', () => {});
  const handlers: { matches: (topic: string) => boolean; handler: MessageHandler }[] = [];
  client.on('message', (topic, payload) => {
    for (const { matches, handler } of handlers) if (matches(topic)) handler(topic, payload);
  });
  let dropped = 0;
  const publishJson = (topic: string, json: string) => {
    // While the broker is away a live view has nothing to gain from stale values: drop and count them.
    if (!client.connected) {
      dropped++;
      return;
    }
    // mqtt-packet writes each packet in several pieces; corked, every message published after one commit
    // leaves in one write.
    corkUntilNextTick(client.stream);
    // QoS 0: a live view wants the newest value, not a queue of stale ones.
    client.publish(topic, json, { qos: 0 });
  };
  return {
    publish: (topic, payload) => publishJson(topic, JSON.stringify(payload)),
    publishJson,
    publishPosition: (deviceId, uniqueId, position, attributesJson) =>
      publishJson(topics.position(uniqueId), positionMessage(deviceId, uniqueId, position, attributesJson)),
    async subscribe(filter, handler) {
      handlers.push({ matches: topicMatcher(filter), handler });
      await client.subscribeAsync(filter, { qos: 1 });
    },
    get dropped() {
      return dropped;
    },
    async close() {
      await client.endAsync();
    },
  };
}
