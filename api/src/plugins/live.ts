import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import { LiveHub } from '../live/hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    liveHub: LiveHub;
  }
}

/** WebSocket support and the hub that pushes coalesced live changes once per `config.liveTickMs`. */
export default fp(
  async (app) => {
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
    const hub = new LiveHub(app.liveFeed, app.deviceDirectory);
    app.decorate('liveHub', hub);
    app.addHook('onReady', async () => hub.start(app.config.liveTickMs));
    app.addHook('preClose', async () => hub.stop());
    app.addMetrics(() =>
      [
        '# HELP urbanlink_live_clients WebSocket clients connected to /api/live.',
        '# TYPE urbanlink_live_clients gauge',
        `urbanlink_live_clients ${hub.clientCount}`,
        '# HELP urbanlink_live_messages_total Tick messages sent to live clients.',
        '# TYPE urbanlink_live_messages_total counter',
        `urbanlink_live_messages_total ${hub.messagesSent}`,
        '# HELP urbanlink_live_slow_clients_total Live clients dropped for not keeping up.',
        '# TYPE urbanlink_live_slow_clients_total counter',
        `urbanlink_live_slow_clients_total ${hub.slowClientsDropped}`,
        '# HELP urbanlink_live_bus_messages_total Messages received from the MQTT bus, by kind.',
        '# TYPE urbanlink_live_bus_messages_total counter',
        `urbanlink_live_bus_messages_total{kind="position"} ${app.liveFeed.positionsReceived}`,
        `urbanlink_live_bus_messages_total{kind="event"} ${app.liveFeed.eventsReceived}`,
        `urbanlink_live_bus_messages_total{kind="malformed"} ${app.liveFeed.malformed}`,
        `urbanlink_live_bus_messages_total{kind="foreign"} ${app.liveFeed.foreign}`,
        '# HELP urbanlink_live_bus_waiting Bus messages received and not yet handed to the live feed.',
        '# TYPE urbanlink_live_bus_waiting gauge',
        `urbanlink_live_bus_waiting ${app.busInbox.waiting}`,
        '# HELP urbanlink_live_bus_dropped_total Bus messages refused because the live feed was too far behind.',
        '# TYPE urbanlink_live_bus_dropped_total counter',
        `urbanlink_live_bus_dropped_total ${app.busInbox.dropped}`,
      ].join('\n'),
    );
  },
  { name: 'urbanlink-live', dependencies: ['urbanlink-db', 'urbanlink-bus', 'urbanlink-metrics'] },
);
