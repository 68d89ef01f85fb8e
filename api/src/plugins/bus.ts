import fp from 'fastify-plugin';
import mqtt, { type MqttClient } from 'mqtt';
import type { Position } from '@urbanlink/protocols';
import { DeviceDirectory } from '../live/directory.ts';
import { BusInbox } from '../live/bus-inbox.ts';
import { LiveFeed } from '../live/feed.ts';
import { ALL_EVENTS, ALL_POSITIONS } from '../live/topics.ts';

/**
 * The MQTT bus of this process, when ingest runs here with the embedded broker: the API subscribes and
 * publishes through it directly, with no MQTT packet, socket or parser between ingest and the API.
 * Structurally ingest's `LiveBus`; the API does not import ingest.
 */
export interface InProcessBus {
  publish(topic: string, payload: unknown): void;
  subscribe(filter: string, handler: (topic: string, payload: Buffer | string) => void): Promise<void>;
  /** Every position stored in this process, as the value itself: no JSON written and parsed back. */
  subscribePositions(handler: (deviceId: number, uniqueId: string, position: Position) => void): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Live positions, connection changes, events and device edits; see live/feed.ts for how to listen. */
    liveFeed: LiveFeed;
    /** Every device's uniqueId and unit, kept current; what the live feed and hub check against. */
    deviceDirectory: DeviceDirectory;
    /** Bus messages on their way to `liveFeed`, handed over in slices (live/bus-inbox.ts). */
    busInbox: BusInbox;
    /** Publishes JSON on the MQTT bus; null when the API runs without one (then commands wait for a reconnect). */
    bus: { publish(topic: string, payload: unknown): Promise<void> } | null;
  }
}

/**
 * The API's MQTT connection. Ingest publishes every stored position and every event; this plugin turns them
 * into `app.liveFeed` events, so the live view works whether ingest runs in this process or another. They
 * reach the feed through `app.busInbox`, a slice at a time, so a burst does not hold HTTP requests up.
 */
export default fp<{ mqttUrl?: string | undefined; bus?: InProcessBus | undefined }>(
  async (app, options) => {
    const feed = new LiveFeed();
    const directory = new DeviceDirectory(app.db, feed);
    const inbox = new BusInbox(feed, directory, (error, topic) => app.log.error({ err: error, topic }, 'a live feed listener threw'));
    app.decorate('liveFeed', feed);
    app.decorate('deviceDirectory', directory);
    app.decorate('busInbox', inbox);
    app.addHook('onClose', async () => inbox.clear());
    if (options.bus) {
      await directory.load();
      const bus = options.bus;
      // The bus outlives the app (its owner closes it later); messages after close must not reach listeners
      // whose database is closing.
      let open = true;
      app.addHook('onClose', async () => {
        open = false;
      });
      bus.subscribePositions((deviceId, uniqueId, position) => open && inbox.pushPosition(deviceId, uniqueId, position));
      await bus.subscribe(ALL_EVENTS, (topic, payload) => open && inbox.push(topic, payload));
      app.decorate('bus', {
        async publish(topic: string, payload: unknown) {
          bus.publish(topic, payload);
        },
      });
      return;
    }
    if (!options.mqttUrl) {
      app.decorate('bus', null);
      return;
    }
    await directory.load();
    let client: MqttClient;
    try {
      client = await mqtt.connectAsync(options.mqttUrl, {
        clientId: `urbanlink-api-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
        reconnectPeriod: 1_000,
        clean: true,
      });
    } catch (error) {
      throw new Error(`cannot connect to the MQTT broker at ${options.mqttUrl} / 无法连接 MQTT 服务器: ${(error as Error).message}`, { cause: error });
    }
    client.on('error', (error) => app.log.warn({ err: error }, 'MQTT connection error'));
    client.on('message', (topic, payload) => inbox.push(topic, payload));
    await client.subscribeAsync([ALL_POSITIONS, ALL_EVENTS], { qos: 0 });
    app.decorate('bus', {
      async publish(topic: string, payload: unknown) {
        await client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
      },
    });
    app.addHook('onClose', async () => {
      await client.endAsync();
    });
  },
  { name: 'urbanlink-bus', dependencies: ['urbanlink-db'] },
);
