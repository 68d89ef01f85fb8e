/**
 * Keeps the browser's live picture current: a snapshot from the REST API, then pushes over the `/api/live`
 * WebSocket. While the socket is down it polls the latest positions, so the map never silently freezes.
 * Changes reach the map once per animation frame, however many pushes arrived in between.
 */
import { api, currentToken } from '../api/client.ts';
import type { Device, LatestPosition } from '../api/types.ts';
import { FrameCoalescer, VehicleDiffer, type ConnectionStatus, type DispatchStatus, type VehicleDiff, type VehicleState } from './vehicle-diff.ts';

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
 * What `/api/live` sends: `tick` (positions, connection statuses, dispatch statuses, each device at most once),
 * `ticket` (a ticket changed), `alarm` (an alarm was raised) and `call` (the telephony hook: a call rings at
 * this agent's desk).
 */
interface LiveMessage {
  type: string;
  positions?: Array<LatestPosition & { alarms?: string[] }>;
  statuses?: Array<{ deviceId: number; status: ConnectionStatus }>;
  devices?: Array<{ deviceId: number; dispatchStatus?: DispatchStatus; deleted?: boolean }>;
  ticketId?: number;
  phone?: string;
}

export class LiveFeed {
  readonly differ = new VehicleDiffer();
  state: FeedState = 'connecting';
  private readonly coalescer: FrameCoalescer;
  private readonly diffListeners = new Set<(diff: VehicleDiff) => void>();
  private readonly alarmListeners = new Set<() => void>();
  private readonly ticketListeners = new Set<(ticketId: number) => void>();
  private readonly stateListeners = new Set<(state: FeedState) => void>();
  private readonly callListeners = new Set<(phone: string) => void>();
  private socket: WebSocket | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private reconnectDelay = 1_000;
  private stopped = false;

  constructor() {
    this.coalescer = new FrameCoalescer(
      (run) => requestAnimationFrame(run),
      () => {
        const diff = this.differ.flush();
        if (diff.add.length + diff.update.length + diff.remove.length > 0) this.diffListeners.forEach((l) => l(diff));
      },
    );
  }

  onDiff(listener: (diff: VehicleDiff) => void): () => void {
    this.diffListeners.add(listener);
    return () => this.diffListeners.delete(listener);
  }

  /** Something raised an alarm: the alarm panel re-reads the list at once instead of at its next poll. */
  onAlarm(listener: () => void): () => void {
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

  /** Loads the starting picture and opens the socket; a failed load is retried by the socket's own refresh. */
  async start(): Promise<void> {
    try {
      await this.refresh();
    } finally {
      this.connect();
    }
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
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

  private connect(): void {
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/live?token=${encodeURIComponent(currentToken() ?? '')}`);
    this.socket = socket;
    socket.onopen = () => {
      this.reconnectDelay = 1_000;
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.setState('live');
      // Whatever changed while the socket was down.
      void this.refresh().catch(() => undefined);
    };
    socket.onmessage = (event) => this.receive(String(event.data));
    socket.onclose = () => {
      if (this.stopped) return;
      this.setState('polling');
      this.pollTimer ??= setInterval(() => void this.refresh().catch(() => undefined), POLL_MS);
      setTimeout(() => this.connect(), this.reconnectDelay);
      this.reconnectDelay = Math.min(30_000, this.reconnectDelay * 2);
    };
  }

  private receive(text: string): void {
    let message: LiveMessage;
    try {
      message = JSON.parse(text) as LiveMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'tick': {
        let alarmed = false;
        for (const position of message.positions ?? []) {
          this.apply(fromPosition(position));
          if (position.alarms?.length) alarmed = true;
        }
        for (const { deviceId, status } of message.statuses ?? []) this.apply({ id: deviceId, status });
        for (const change of message.devices ?? []) {
          if (change.deleted) {
            this.differ.remove(change.deviceId);
            this.coalescer.request();
          } else if (change.dispatchStatus) this.apply({ id: change.deviceId, dispatchStatus: change.dispatchStatus });
        }
        if (alarmed) this.alarmListeners.forEach((l) => l());
        break;
      }
      case 'ticket':
        if (message.ticketId !== undefined) this.ticketListeners.forEach((l) => l(message.ticketId!));
        break;
      case 'alarm':
        this.alarmListeners.forEach((l) => l());
        break;
      case 'call':
        if (message.phone) this.callListeners.forEach((l) => l(message.phone!));
        break;
    }
  }
}
