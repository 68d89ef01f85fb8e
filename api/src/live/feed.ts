import { EventEmitter } from 'node:events';
import type { DeviceRecord } from '@urbanlink/db';

/** A stored position as ingest publishes it on `urbanlink/v1/devices/{uniqueId}/position`. */
export interface LivePosition {
  deviceId: number;
  uniqueId: string;
  fixTime: string;
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
 * The WebSocket hub listens to it, and so can any other part of the API that keeps a live picture:
 *   app.liveFeed.on('position', (position) => index.move(position));
 *   app.liveFeed.on('device', ({ deviceId, device }) => …);   // dispatchStatus changes, deletions
 * Listeners run synchronously on the bus's message; they must be quick and must not throw.
 */
export class LiveFeed extends EventEmitter<LiveFeedEvents> {
  positionsReceived = 0;
  eventsReceived = 0;
  malformed = 0;
}

/** Parses one MQTT message from ingest and emits it; a malformed message is counted, not thrown. */
export function feedFromBus(feed: LiveFeed, topic: string, payload: Buffer): void {
  const match = /^urbanlink\/v1\/devices\/([^/]+)\/(position|event)$/.exec(topic);
  if (!match) return;
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    feed.malformed += 1;
    return;
  }
  const uniqueId = match[1]!;
  if (match[2] === 'position') {
    if (!isPosition(message)) {
      feed.malformed += 1;
      return;
    }
    feed.positionsReceived += 1;
    feed.emit('position', {
      deviceId: message.deviceId,
      uniqueId,
      fixTime: message.fixTime,
      lat: message.lat,
      lon: message.lon,
      speedKmh: num(message.speedKmh),
      course: num(message.course),
      altitude: num(message.altitude),
      valid: message.valid !== false,
      alarms: Array.isArray(message.alarms) ? (message.alarms as string[]) : [],
      attributes: typeof message.attributes === 'object' && message.attributes !== null ? (message.attributes as Record<string, unknown>) : {},
    });
    return;
  }
  feed.eventsReceived += 1;
  const type = typeof message.type === 'string' ? message.type : 'unknown';
  const event: LiveEvent = { ...message, uniqueId, type };
  if (type === 'status' && typeof message.deviceId === 'number' && (message.status === 'online' || message.status === 'offline')) {
    const time = typeof message.time === 'string' ? message.time : new Date().toISOString();
    feed.emit('status', { deviceId: message.deviceId, uniqueId, status: message.status, time });
  }
  feed.emit('event', event);
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isPosition(message: Record<string, unknown>): message is Record<string, unknown> & { deviceId: number; fixTime: string; lat: number; lon: number } {
  return (
    typeof message.deviceId === 'number' &&
    typeof message.fixTime === 'string' &&
    !Number.isNaN(Date.parse(message.fixTime)) &&
    typeof message.lat === 'number' &&
    Math.abs(message.lat) <= 90 &&
    typeof message.lon === 'number' &&
    Math.abs(message.lon) <= 180
  );
}
