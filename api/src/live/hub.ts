import type { DeviceDirectory } from './directory.ts';
import type { LiveEvent, LiveFeed } from './feed.ts';
import { PendingPositions } from './pending-positions.ts';

/** What a client asked to watch: a viewport, some devices, or both (either matches); neither means all. */
export interface Subscription {
  /** [west, south, east, north] in degrees. */
  bbox: [number, number, number, number] | null;
  deviceIds: ReadonlySet<number> | null;
}

/** One WebSocket, as the hub sees it. */
export interface LiveClient {
  /** Unit ids the client's user may see; null for all. */
  readonly scope: ReadonlySet<number> | null;
  subscription: Subscription;
  send(text: string): void;
  /** Bytes written but not yet sent: a client that does not keep up is dropped, not buffered forever. */
  bufferedBytes(): number;
  close(code: number, reason: string): void;
}

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** A device's change within a tick; a deletion keeps the unit the device was in, for scoping. */
type DeviceChange = { dispatchStatus: string } | { deleted: true; unitId: number | null };

function inBox(box: Subscription['bbox'], lat: number, lon: number): boolean {
  if (!box) return false;
  const [west, south, east, north] = box;
  // A box across the antimeridian has west > east.
  const lonInside = west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
  return lonInside && lat >= south && lat <= north;
}

/** What the hub needs of an alarm event (api/src/alarms/alarm-json.ts) to route it. */
interface AlarmEvent extends LiveEvent {
  type: 'alarm';
  change: string;
  alarm: { id: number; unitId: number | null };
}

function isAlarmEvent(event: LiveEvent): event is AlarmEvent {
  const alarm = event.alarm as AlarmEvent['alarm'] | undefined;
  return event.type === 'alarm' && typeof event.change === 'string' && typeof alarm?.id === 'number';
}

/**
 * Pushes live changes to WebSocket clients once per tick. Between ticks only the newest change per device
 * is kept, so a client watching 10,000 vehicles that report every few seconds gets one message per tick
 * holding each moved vehicle once, filtered to its unit subtree and its subscription. Alarm changes (raised,
 * acknowledged, assigned, resolved) are few and each one matters, so they go out at once, one message each,
 * to every client whose unit subtree holds the alarm's unit, whatever the client's viewport.
 */
export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly positions = new PendingPositions();
  private statuses = new Map<number, 'online' | 'offline'>();
  private devices = new Map<number, DeviceChange>();
  private readonly directory: DeviceDirectory;
  private timer: NodeJS.Timeout | undefined;
  messagesSent = 0;
  slowClientsDropped = 0;

  constructor(feed: LiveFeed, directory: DeviceDirectory) {
    this.directory = directory;
    // Positions may arrive out of order (a terminal's buffered backlog); the map shows the newest fix.
    feed.on('position', (position) => this.positions.set(position));
    feed.on('status', ({ deviceId, status }) => this.statuses.set(deviceId, status));
    // Ahead of the directory's own listener, which forgets a deleted device: its unit is kept here until the
    // tick, so that only clients who could see the device hear of its deletion.
    feed.prependListener('device', ({ deviceId, device }) =>
      this.devices.set(deviceId, device ? { dispatchStatus: device.dispatchStatus } : { deleted: true, unitId: directory.get(deviceId)?.unitId ?? null }),
    );
    feed.on('event', (event) => {
      if (isAlarmEvent(event)) this.pushAlarm(event);
    });
  }

  get clientCount(): number {
    return this.clients.size;
  }

  add(client: LiveClient): void {
    this.clients.add(client);
  }

  remove(client: LiveClient): void {
    this.clients.delete(client);
  }

  start(tickMs: number): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const client of this.clients) client.close(1001, 'server shutting down');
    this.clients.clear();
  }

  /** Sends what changed since the last tick to each client that may see it. Exposed for tests and benchmarks. */
  tick(): void {
    const statuses = this.statuses;
    const devices = this.devices;
    this.statuses = new Map();
    this.devices = new Map();
    if (this.clients.size > 0) {
      const time = new Date().toISOString();
      for (const client of this.clients) {
        if (client.bufferedBytes() > MAX_BUFFERED_BYTES) {
          this.slowClientsDropped += 1;
          this.clients.delete(client);
          client.close(1013, 'too slow to keep up; reconnect and reload /api/positions/latest');
          continue;
        }
        const message = this.messageFor(client, time, statuses, devices);
        if (message) {
          client.send(message);
          this.messagesSent += 1;
        }
      }
    }
    this.positions.clear();
  }

  private pushAlarm({ change, time, alarm }: AlarmEvent): void {
    const text = JSON.stringify({ type: 'alarm', change, time, alarm });
    for (const client of this.clients) {
      if (client.scope !== null && (alarm.unitId === null || !client.scope.has(alarm.unitId))) continue;
      client.send(text);
      this.messagesSent += 1;
    }
  }

  private visible(client: LiveClient, deviceId: number): boolean {
    const entry = this.directory.get(deviceId);
    return entry !== undefined && this.seesUnit(client, entry.unitId);
  }

  private seesUnit(client: LiveClient, unitId: number | null): boolean {
    return client.scope === null || (unitId !== null && client.scope.has(unitId));
  }

  private messageFor(
    client: LiveClient,
    time: string,
    statuses: Map<number, 'online' | 'offline'>,
    devices: Map<number, DeviceChange>,
  ): string | null {
    const { bbox, deviceIds } = client.subscription;
    const everything = bbox === null && deviceIds === null;
    const wanted = (deviceId: number) => everything || deviceIds?.has(deviceId) === true;
    const outPositions: string[] = [];
    const positions = this.positions;
    for (let i = 0; i < positions.size; i++) {
      const deviceId = positions.deviceIdAt(i);
      if ((wanted(deviceId) || inBox(bbox, positions.latAt(i), positions.lonAt(i))) && this.visible(client, deviceId)) outPositions.push(positions.jsonAt(i));
    }
    const outStatuses: { deviceId: number; status: string }[] = [];
    for (const [deviceId, status] of statuses) {
      if ((everything || bbox !== null || wanted(deviceId)) && this.visible(client, deviceId)) outStatuses.push({ deviceId, status });
    }
    const outDevices: object[] = [];
    for (const [deviceId, change] of devices) {
      if (!(everything || bbox !== null || wanted(deviceId))) continue;
      if ('deleted' in change) {
        if (this.seesUnit(client, change.unitId)) outDevices.push({ deviceId, deleted: true });
      } else if (this.visible(client, deviceId)) outDevices.push({ deviceId, ...change });
    }
    if (outPositions.length === 0 && outStatuses.length === 0 && outDevices.length === 0) return null;
    return `{"type":"tick","time":"${time}","positions":[${outPositions.join(',')}],"statuses":${JSON.stringify(outStatuses)},"devices":${JSON.stringify(outDevices)}}`;
  }
}
