import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { createBrokerBus, OutsideSubscriptions } from '../src/broker-bus.ts';
import { topicMatcher } from '../src/topic-filter.ts';
import type { Position } from '@urbanlink/protocols';
import { topics, type LocalBus } from '../src/bus.ts';
import { positionMessage } from '../src/position-message.ts';
import { eventually } from './helpers.ts';

describe('topicMatcher', () => {
  it.each([
    ['urbanlink/v1/devices/+/position', 'urbanlink/v1/devices/123/position', true],
    ['urbanlink/v1/devices/+/position', 'urbanlink/v1/devices/123/event', false],
    ['urbanlink/v1/devices/+/position', 'urbanlink/v1/devices/123', false],
    ['urbanlink/v1/devices/+/position', 'urbanlink/v1/devices/123/position/x', false],
    ['urbanlink/v1/devices/+', 'urbanlink/v1/devices/', true],
    ['urbanlink/#', 'urbanlink', true],
    ['urbanlink/#', 'urbanlink/v1/devices/1/event', true],
    ['#', 'anything/at/all', true],
    ['a/b', 'a/bc', false],
    ['a/bc', 'a/b', false],
    ['a/+/c', 'a//c', true],
    ['', '', true],
  ])('%s against %s: %s', (filter, topic, expected) => {
    expect(topicMatcher(filter)(topic)).toBe(expected);
  });
});

describe('the embedded broker bus in this process', () => {
  let broker: Aedes;
  let server: Server;
  let url: string;
  let bus: LocalBus;
  /** Our topics' messages that went through aedes' publish pipeline. */
  const throughBroker: string[] = [];

  beforeAll(async () => {
    broker = await Aedes.createBroker();
    broker.on('publish', (packet) => {
      if (packet.topic.startsWith('urbanlink/')) throughBroker.push(packet.topic);
    });
    const outside = new OutsideSubscriptions(broker);
    server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    bus = createBrokerBus(broker, outside);
  });

  afterAll(async () => {
    await bus?.close();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('hands a message to subscribers here once, as its text, and skips the broker when no client subscribes', async () => {
    const received: { topic: string; payload: string }[] = [];
    await bus.subscribe(topics.position('+'), (topic, payload) => received.push({ topic, payload: payload.toString() }));
    bus.publishJson(topics.position('861'), '{"n":1}');
    bus.publishJson(topics.event('861'), '{"n":2}');
    expect(received).toEqual([{ topic: topics.position('861'), payload: '{"n":1}' }]);
    expect(throughBroker).toEqual([]);
  });

  it('hands a position as the value to position subscribers, and writes its JSON only for text subscribers', async () => {
    const position: Position = {
      uniqueId: '865', fixTimeMs: Date.parse('2026-11-29T08:00:00Z'), lat: 31.2, lon: 121.4, altitudeM: 0, speedKmh: 40, course: 90,
      valid: true, satellites: 9, ignition: null, odometerKm: null, fuelL: null, alarms: [], attributes: {},
    };
    const values: [number, string, Position][] = [];
    bus.subscribePositions((deviceId, uniqueId, value) => values.push([deviceId, uniqueId, value]));
    bus.publishPosition(7, '865', position, '{}');
    expect(values).toEqual([[7, '865', position]]);
    expect(values[0]![2]).toBe(position);
    expect(throughBroker).toEqual([]);

    const texts: string[] = [];
    await bus.subscribe(topics.position('866'), (_topic, payload) => texts.push(payload.toString()));
    bus.publishPosition(8, '866', position, '{}');
    expect(texts).toEqual([positionMessage(8, '866', position, '{}')]);
    expect(values).toHaveLength(2);
  });

  it('publishes through the broker while an outside client subscribes, without a second copy here', async () => {
    const received: string[] = [];
    await bus.subscribe(topics.event('+'), (_topic, payload) => received.push(payload.toString()));
    const client: MqttClient = await mqtt.connectAsync(url, { clean: true });
    const outsideReceived: string[] = [];
    client.on('message', (_topic, payload) => outsideReceived.push(payload.toString()));
    await client.subscribeAsync('urbanlink/#');
    bus.publishJson(topics.event('862'), '{"n":3}');
    await eventually(async () => outsideReceived, (messages) => messages.length === 1);
    expect(outsideReceived).toEqual(['{"n":3}']);
    expect(throughBroker).toEqual([topics.event('862')]);
    expect(received).toEqual(['{"n":3}']);

    // What an outside client publishes reaches the subscribers here through the broker.
    await client.publishAsync(topics.event('863'), '{"n":4}');
    await eventually(async () => received, (messages) => messages.length === 2);
    expect(received).toEqual(['{"n":3}', '{"n":4}']);

    // Once its clean session ends, messages stop going through the broker.
    await client.endAsync();
    await eventually(async () => {
      throughBroker.length = 0;
      bus.publishJson(topics.event('864'), '{"n":5}');
      return throughBroker.length;
    }, (n) => n === 0);
    expect(received.at(-1)).toBe('{"n":5}');
  });
});
