/**
 * Keeps the browser's live picture current: a snapshot from the REST API, then pushes over the `/api/live`
 * WebSocket. While the socket is down it polls the latest positions, so the map never silently freezes.
 * Changes reach the map once per animation frame, however many pushes arrived in between.
 */
import { api, currentToken } from '../api/client.ts';
import type { Alarm, Device, LatestPosition, Ticket } from '../api/types.ts';
import { FrameCoalescer, VehicleDiffer, type VehicleDiff, type VehicleState } from './vehicle-diff.ts';

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
    ticketId: device.ticketId ?? null,
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

interface LiveMessage {
  type?: string;
  positions?: LatestPosition[];
  position?: LatestPosition;
  devices?: Device[];
  device?: Device;
  alarms?: Alarm[];
  alarm?: Alarm;
  tickets?: Ticket[];
  ticket?: Ticket;
  /** The telephony hook: a call is ringing at this agent's desk. */
  call?: { phone: string };
}

export class LiveFeed {
  readonly differ = new VehicleDiffer();
  state: FeedState = 'connecting';
  private readonly coalescer: FrameCoalescer;
  private readonly diffListeners = new Set<(diff: VehicleDiff) => void>();
  private readonly alarmListeners = new Set<(alarm: Alarm) => void>();
  private readonly ticketListeners = new Set<(ticket: Ticket) => void>();
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

  onAlarm(listener: (alarm: Alarm) => void): () => void {
    this.alarmListeners.add(listener);
    return () => this.alarmListeners.delete(listener);
  }

  onTicket(listener: (ticket: Ticket) => void): () => void {
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

  async start(): Promise<void> {
    await this.refresh();
    this.connect();
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
      socket.send(JSON.stringify({ type: 'subscribe', all: true }));
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
    for (const position of message.positions ?? (message.position ? [message.position] : [])) this.apply(fromPosition(position));
    for (const device of message.devices ?? (message.device ? [message.device] : [])) this.apply(fromDevice(device));
    for (const alarm of message.alarms ?? (message.alarm ? [message.alarm] : [])) this.alarmListeners.forEach((l) => l(alarm));
    for (const ticket of message.tickets ?? (message.ticket ? [message.ticket] : [])) this.ticketListeners.forEach((l) => l(ticket));
    if (message.call?.phone) this.callListeners.forEach((l) => l(message.call!.phone));
  }
}
