/**
 * Keeps the browser's live picture current: a snapshot from the REST API, then pushes over the `/api/live`
 * WebSocket. While the socket is down it polls the latest positions, so the map never silently freezes.
 * Changes reach the map once per animation frame, however many pushes arrived in between. Alarm changes
 * arrive on the same socket, each on its own, and go straight to the alarm listeners.
 */
import { api } from '../api/client.ts';
import type { Alarm, AlarmChange, Device, LatestPosition } from '../api/types.ts';
import { ReconnectingSocket } from './socket.ts';
import { FrameCoalescer, MAP_PUSH_MIN_INTERVAL_MS, VehicleDiffer, type ConnectionStatus, type DispatchStatus, type VehicleDiff, type VehicleState } from './vehicle-diff.ts';

export type FeedState = 'connecting' | 'live' | 'polling';

const POLL_MS = 5_000;

function fromDevice(device: Device): Partial<VehicleState> & { id: number } {
  const patch: Partial<VehicleState> & { id: number } = {
    id: device.id,
    name: device.name,
    plate: device.plate ?? '',
    uniqueId: device.uniqueId,
    unitId: device.unitId ?? null,
    status: device.status,
    dispatchStatus: device.dispatchStatus,
  };
  if (device.position) Object.assign(patch, fromPosition({ ...device.position, deviceId: device.id }));
  return patch;
}

function fromPosition(position: LatestPosition): Partial<VehicleState> & { id: number } {
  return {
    id: position.deviceId,
    lat: position.lat,
    lon: position.lon,
    course: position.course,
    speedKmh: position.speedKmh,
    fixTime: position.fixTime,
  };
}

/**
 * What `/api/live` sends: once per tick positions, connection statuses and dispatch statuses (each device at
 * most once); and at once, one message per alarm change.
 */
interface LiveMessage {
  type: string;
  positions?: LatestPosition[];
  statuses?: Array<{ deviceId: number; status: ConnectionStatus }>;
  devices?: Array<{ deviceId: number; dispatchStatus?: DispatchStatus; deleted?: boolean }>;
  change?: AlarmChange;
  alarm?: Alarm;
}

/** An alarm raised or moved a step, with the alarm as the server now has it. */
export interface AlarmPush {
  change: AlarmChange;
  alarm: Alarm;
}

/** What `/api/tickets/live` sends: a ticket changed, or (with `extension`) a call rings at this agent's desk. */
interface DeskMessage {
  type: string;
  ticketId?: number;
  caller?: string;
}

export class LiveFeed {
  readonly differ = new VehicleDiffer();
  state: FeedState = 'connecting';
  private readonly coalescer: FrameCoalescer;
  private readonly diffListeners = new Set<(diff: VehicleDiff) => void>();
  private readonly alarmListeners = new Set<(push: AlarmPush) => void>();
  private readonly ticketListeners = new Set<(ticketId: number) => void>();
  private readonly stateListeners = new Set<(state: FeedState) => void>();
  private readonly callListeners = new Set<(phone: string) => void>();
  private vehicleSocket: ReconnectingSocket | undefined;
  private deskSocket: ReconnectingSocket | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    this.coalescer = new FrameCoalescer(
      (run) => requestAnimationFrame(run),
      () => {
        const diff = this.differ.flush();
        if (diff.add.length + diff.update.length + diff.remove.length > 0) this.diffListeners.forEach((l) => l(diff));
      },
      { minIntervalMs: MAP_PUSH_MIN_INTERVAL_MS },
    );
  }

  onDiff(listener: (diff: VehicleDiff) => void): () => void {
    this.diffListeners.add(listener);
    return () => this.diffListeners.delete(listener);
  }

  /** An alarm was raised, acknowledged, assigned or resolved (while the socket is up; `onState` tells when it is). */
  onAlarm(listener: (push: AlarmPush) => void): () => void {
    this.alarmListeners.add(listener);
    return () => this.alarmListeners.delete(listener);
  }

  onTicket(listener: (ticketId: number) => void): () => void {
    this.ticketListeners.add(listener);
    return () => this.ticketListeners.delete(listener);
  }

  onCall(listener: (phone: string) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  onState(listener: (state: FeedState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Loads the starting picture and opens the sockets; a failed load is retried when the socket comes up.
   * `extension` is the agent's phone extension, so calls ringing there are announced.
   */
  async start(extension: string): Promise<void> {
    try {
      await this.refresh();
    } finally {
      this.vehicleSocket = new ReconnectingSocket('/api/live', {
        onMessage: (text) => this.receiveLive(text),
        onUp: () => {
          clearInterval(this.pollTimer);
          this.pollTimer = undefined;
          this.setState('live');
          // Whatever changed while the socket was down.
          void this.refresh().catch(() => undefined);
        },
        onDown: () => {
          this.setState('polling');
          this.pollTimer ??= setInterval(() => void this.refresh().catch(() => undefined), POLL_MS);
        },
      });
      this.connectDesk(extension);
    }
  }

  /** Reopens the ticket socket for another phone extension (changed in the settings). */
  connectDesk(extension: string): void {
    this.deskSocket?.close();
    const query = extension ? `?extension=${encodeURIComponent(extension)}` : '';
    this.deskSocket = new ReconnectingSocket(`/api/tickets/live${query}`, {
      onMessage: (text) => this.receiveDesk(text),
      onUp: () => undefined,
      onDown: () => undefined,
    });
  }

  stop(): void {
    this.vehicleSocket?.close();
    this.deskSocket?.close();
    clearInterval(this.pollTimer);
  }

  /** Re-reads one vehicle after the console changed it (dispatch status, ticket), without waiting for a push. */
  async reloadDevice(id: number): Promise<void> {
    this.apply(fromDevice(await api.device(id)));
  }

  private async refresh(): Promise<void> {
    const [devices, latest] = await Promise.all([api.devices(), api.latestPositions()]);
    for (const device of devices) this.apply(fromDevice(device));
    for (const position of latest) this.apply(fromPosition(position));
  }

  private apply(patch: Partial<VehicleState> & { id: number }): void {
    if (this.differ.upsert(patch)) this.coalescer.request();
  }

  private setState(state: FeedState): void {
    this.state = state;
    this.stateListeners.forEach((l) => l(state));
  }

  private receiveLive(text: string): void {
    const message = parse<LiveMessage>(text);
    if (message?.type === 'alarm' && message.change && message.alarm) {
      const push = { change: message.change, alarm: message.alarm };
      this.alarmListeners.forEach((l) => l(push));
      return;
    }
    if (message?.type !== 'tick') return;
    for (const position of message.positions ?? []) this.apply(fromPosition(position));
    for (const { deviceId, status } of message.statuses ?? []) this.apply({ id: deviceId, status });
    for (const change of message.devices ?? []) {
      if (change.deleted) {
        this.differ.remove(change.deviceId);
        this.coalescer.request();
      } else if (change.dispatchStatus) this.apply({ id: change.deviceId, dispatchStatus: change.dispatchStatus });
    }
  }

  private receiveDesk(text: string): void {
    const message = parse<DeskMessage>(text);
    if (message?.type === 'ticket' && message.ticketId !== undefined) this.ticketListeners.forEach((l) => l(message.ticketId!));
    if (message?.type === 'call' && message.caller) this.callListeners.forEach((l) => l(message.caller!));
  }
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
