import { EventEmitter } from 'node:events';
import type { DeviceRecord } from '@urbanlink/db';
import { isoTime, type Position } from '@urbanlink/protocols';
import { DEVICE_TOPIC_PREFIX, EVENT_SUFFIX, POSITION_SUFFIX } from './topics.ts';

/** A stored position as ingest publishes it on `urbanlink/v1/devices/{uniqueId}/position`. */
export interface LivePosition {
  deviceId: number;
  uniqueId: string;
  fixTime: string;
  /** `fixTime` as milliseconds, read once here for every listener. */
  fixTimeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
  altitude: number;
  valid: boolean;
  alarms: string[];
  attributes: Record<string, unknown>;
}

/** A connection change from ingest (`/event` with `type: "status"`). */
export interface LiveStatus {
  deviceId: number;
  uniqueId: string;
  status: 'online' | 'offline';
  time: string;
}

/** Any other `/event` message (alarms, command progress, geofence events), as published. */
export interface LiveEvent {
  uniqueId: string;
  type: string;
  deviceId?: number;
  [key: string]: unknown;
}

/** A device created, changed (dispatch status included) or deleted (`device: null`) through this API. */
export interface LiveDeviceChange {
  deviceId: number;
  device: DeviceRecord | null;
}

interface LiveFeedEvents {
  position: [LivePosition];
  status: [LiveStatus];
  event: [LiveEvent];
  device: [LiveDeviceChange];
}

/**
 * The in-process stream of live changes, decorated on the app as `app.liveFeed`. The MQTT bus feeds it
 * positions and events from ingest (in this process or another); the device routes feed it device edits.
 * Bus messages are emitted only once their device id is known here and belongs to the uniqueId in the topic,
 * so listeners may trust `deviceId`. The WebSocket hub listens to it, and so can any other part of the API
 * that keeps a live picture:
 *   app.liveFeed.on('position', (position) => index.move(position));
 *   app.liveFeed.on('device', ({ deviceId, device }) => …);   // dispatchStatus changes, deletions
 * Listeners run synchronously as each bus message is handed over (BusInbox hands them over a slice at a time,
 * between HTTP requests); they must be quick and must not throw.
 */
export class LiveFeed extends EventEmitter<LiveFeedEvents> {
  positionsReceived = 0;
  eventsReceived = 0;
  malformed = 0;
  /** Messages naming a device id that is not this terminal's here (another installation on the broker). */
  foreign = 0;
}

/** One message from the bus, parsed; `deviceId` is the id it claims, checked before it is emitted. */
export type BusMessage =
  | { kind: 'position'; deviceId: number; uniqueId: string; position: LivePosition }
  | { kind: 'event'; deviceId: number | undefined; uniqueId: string; event: LiveEvent; status: LiveStatus | null };

/** Parses one MQTT message from ingest; null (and counted) when it is malformed or not one of ours. */
export function parseBusMessage(feed: LiveFeed, topic: string, payload: Buffer | string): BusMessage | null {
  // `urbanlink/v1/devices/{uniqueId}/position` or `…/event`, read with indexOf rather than a regular
  // expression, whose match array was a few hundred bytes of garbage per position.
  const slash = topic.startsWith(DEVICE_TOPIC_PREFIX) ? topic.indexOf('/', DEVICE_TOPIC_PREFIX.length) : -1;
  const positionTopic = slash === topic.length - POSITION_SUFFIX.length && topic.endsWith(POSITION_SUFFIX);
  if (slash <= DEVICE_TOPIC_PREFIX.length || (!positionTopic && !(slash === topic.length - EVENT_SUFFIX.length && topic.endsWith(EVENT_SUFFIX)))) return null;
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    return malformed(feed);
  }
  const uniqueId = topic.slice(DEVICE_TOPIC_PREFIX.length, slash);
  if (positionTopic) {
    if (!isPosition(message)) return malformed(feed);
    const fixTimeMs = Date.parse(message.fixTime);
    if (Number.isNaN(fixTimeMs)) return malformed(feed);
    const position: LivePosition = {
      deviceId: message.deviceId,
      uniqueId,
      fixTime: message.fixTime,
      fixTimeMs,
      lat: message.lat,
      lon: message.lon,
      speedKmh: num(message.speedKmh),
      course: num(message.course),
      altitude: num(message.altitude),
      valid: message.valid !== false,
      alarms: Array.isArray(message.alarms) ? (message.alarms as string[]) : [],
      attributes: typeof message.attributes === 'object' && message.attributes !== null ? (message.attributes as Record<string, unknown>) : {},
    };
    return { kind: 'position', deviceId: message.deviceId, uniqueId, position };
  }
  const type = typeof message.type === 'string' ? message.type : 'unknown';
  const deviceId = typeof message.deviceId === 'number' ? message.deviceId : undefined;
  const event: LiveEvent = { ...message, uniqueId, type };
  let status: LiveStatus | null = null;
  if (type === 'status' && deviceId !== undefined && (message.status === 'online' || message.status === 'offline')) {
    status = { deviceId, uniqueId, status: message.status, time: typeof message.time === 'string' ? message.time : new Date().toISOString() };
  }
  return { kind: 'event', deviceId, uniqueId, event, status };
}

/**
 * A position handed over by the bus in this process as a value: the message parseBusMessage would make of its
 * JSON, checked the same way; null (and counted) when its coordinates are not a place.
 */
export function positionBusMessage(feed: LiveFeed, deviceId: number, uniqueId: string, position: Position): BusMessage | null {
  const { lat, lon } = position;
  if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return malformed(feed);
  // Whole milliseconds, as the JSON's time carries them.
  const fixTimeMs = Math.trunc(position.fixTimeMs);
  if (!Number.isFinite(fixTimeMs)) return malformed(feed);
  const live: LivePosition = {
    deviceId,
    uniqueId,
    fixTime: isoTime(fixTimeMs),
    fixTimeMs,
    lat,
    lon,
    speedKmh: num(position.speedKmh),
    course: num(position.course),
    altitude: num(position.altitudeM),
    valid: position.valid,
    alarms: position.alarms,
    attributes: position.attributes,
  };
  return { kind: 'position', deviceId, uniqueId, position: live };
}

/** Emits a parsed (and checked) bus message to the feed's listeners. */
export function emitBusMessage(feed: LiveFeed, message: BusMessage): void {
  if (message.kind === 'position') {
    feed.positionsReceived += 1;
    feed.emit('position', message.position);
    return;
  }
  feed.eventsReceived += 1;
  if (message.status) feed.emit('status', message.status);
  feed.emit('event', message.event);
}

function malformed(feed: LiveFeed): null {
  feed.malformed += 1;
  return null;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isPosition(message: Record<string, unknown>): message is Record<string, unknown> & { deviceId: number; fixTime: string; lat: number; lon: number } {
  return (
    typeof message.deviceId === 'number' &&
    typeof message.fixTime === 'string' &&
    typeof message.lat === 'number' &&
    Math.abs(message.lat) <= 90 &&
    typeof message.lon === 'number' &&
    Math.abs(message.lon) <= 180
  );
}
