import type { Aedes, AedesPublishPacket, Client, Subscription } from 'aedes';
import type { LocalBus, MessageHandler, PositionHandler } from './bus.ts';
import { positionMessage } from './position-message.ts';
import { topics } from './topics.ts';
import { topicMatcher } from './topic-filter.ts';

interface LocalSubscriber {
  matches: (topic: string) => boolean;
  handler: MessageHandler;
  /** Its subscription in the broker, for what outside clients publish. */
  deliver: (packet: AedesPublishPacket, done: () => void) => void;
  filter: string;
}

/**
 * The embedded broker's bus for this process (ingest, and the API when it runs here). A message published here
 * goes straight to this process's subscribers, as its JSON text, or as the Position itself to those that
 * subscribed to positions as values; it goes through the broker only when an outside client (one connected
 * over TCP) has subscribed to anything, and a position's JSON is made only when someone reads it. Through the
 * broker, every position cost ingest a packet object, a pass through aedes' publish pipeline and its topic
 * matcher, and a Buffer for each subscriber here: about 1.4 µs of ingest's ~5 µs a position with one
 * subscriber in this process. What outside clients publish (commands from an API in another process) still
 * reaches this process's subscribers through the broker.
 */
export function createBrokerBus(broker: Aedes, outside: OutsideSubscriptions): LocalBus {
  const subscribers: LocalSubscriber[] = [];
  const positionSubscribers: PositionHandler[] = [];
  // Payloads this bus handed to the broker: this process's subscribers had them already.
  const ownPayloads = new WeakSet<Buffer>();
  // A loop, not subscribers.some(…): that would make a closure for every position stored.
  const wantsText = (topic: string) => {
    for (const subscriber of subscribers) if (subscriber.matches(topic)) return true;
    return false;
  };
  const publishJson = (topic: string, json: string) => {
    for (const subscriber of subscribers) if (subscriber.matches(topic)) subscriber.handler(topic, json);
    if (!outside.any) return;
    const payload = Buffer.from(json);
    ownPayloads.add(payload);
    broker.publish({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false }, () => {});
  };
  return {
    publish: (topic, payload) => publishJson(topic, JSON.stringify(payload)),
    publishJson,
    publishPosition(deviceId, uniqueId, position, attributesJson) {
      for (const handler of positionSubscribers) handler(deviceId, uniqueId, position);
      const topic = topics.position(uniqueId);
      // The JSON only for those who read it: an outside client, or a subscriber here that asked for text.
      if (outside.any || wantsText(topic)) publishJson(topic, positionMessage(deviceId, uniqueId, position, attributesJson));
    },
    subscribePositions(handler) {
      positionSubscribers.push(handler);
    },
    async subscribe(filter, handler) {
      const deliver = (packet: AedesPublishPacket, done: () => void) => {
        const payload = packet.payload;
        if (!(Buffer.isBuffer(payload) && ownPayloads.has(payload))) handler(packet.topic, payload);
        done();
      };
      subscribers.push({ matches: topicMatcher(filter), handler, deliver, filter });
      await new Promise<void>((resolve) => broker.subscribe(filter, deliver, resolve));
    },
    async close() {
      positionSubscribers.length = 0;
      for (const { filter, deliver } of subscribers.splice(0)) await new Promise<void>((resolve) => broker.unsubscribe(filter, deliver, resolve));
    },
  };
}

/**
 * Whether any client connected to the broker has a subscription, kept from the broker's events from its
 * start on (and for its life: the listeners go with the broker).
 */
export class OutsideSubscriptions {
  readonly #filtersByClient = new Map<string, Set<string>>();

  constructor(broker: Aedes) {
    broker.on('subscribe', this.#subscribed);
    broker.on('unsubscribe', this.#unsubscribed);
  }

  get any(): boolean {
    return this.#filtersByClient.size > 0;
  }

  readonly #subscribed = (subscriptions: Subscription[], client: Client) => {
    let filters = this.#filtersByClient.get(client.id);
    if (!filters) this.#filtersByClient.set(client.id, (filters = new Set()));
    for (const { topic } of subscriptions) filters.add(topic);
  };

  // A clean session's subscriptions end with its connection, and aedes reports them here then too. A
  // persistent session's stay, and are counted, though QoS 0 messages do not wait for it.
  readonly #unsubscribed = (filters: string[], client: Client) => {
    const held = this.#filtersByClient.get(client.id);
    if (!held) return;
    for (const filter of filters) held.delete(filter);
    if (held.size === 0) this.#filtersByClient.delete(client.id);
  };
}
