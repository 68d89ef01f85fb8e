import type { Logger } from 'pino';
import { Limiter } from './limiter.ts';
import type { CommandTarget } from './session-context.ts';
import type { IngestStore } from './store.ts';

export interface CommandEvent {
  type: 'command';
  commandId: number;
  status: 'sent' | 'acknowledged' | 'failed';
  reply?: string | null;
  error?: string;
}

/**
 * Commands to terminals. The API queues a row and publishes the device's command topic; whichever ingest
 * process holds that device's session loads the queued rows, encodes them, marks them sent with their
 * correlation and writes them out. Deliveries to one device run one at a time so a command is never sent
 * twice by two triggers racing (a login and a publish).
 */
export class CommandCenter {
  private readonly store: IngestStore;
  private readonly log: Logger;
  private readonly publish: (uniqueId: string, event: CommandEvent) => void;
  private readonly sessions = new Map<number, CommandTarget>();
  private readonly byUniqueId = new Map<string, number>();
  private readonly chains = new Map<number, Promise<void>>();
  // Every login checks for queued commands; two look-ups at a time leave the pool to position writes.
  private readonly lookups = new Limiter(2);

  constructor(store: IngestStore, log: Logger, publish: (uniqueId: string, event: CommandEvent) => void) {
    this.store = store;
    this.log = log;
    this.publish = publish;
  }

  attach(session: CommandTarget): void {
    const device = session.device!;
    this.sessions.set(device.id, session);
    this.byUniqueId.set(device.uniqueId, device.id);
    this.deliver(device.id);
  }

  detach(session: CommandTarget): void {
    const device = session.device!;
    if (this.sessions.get(device.id) !== session) return;
    this.sessions.delete(device.id);
    this.byUniqueId.delete(device.uniqueId);
  }

  /** A command was queued for the device with this uniqueId (the MQTT command topic). */
  queued(uniqueId: string): void {
    const deviceId = this.byUniqueId.get(uniqueId);
    if (deviceId !== undefined) this.deliver(deviceId);
  }

  /** The terminal answered the command carrying `correlation`; `refusal` says why when it refused it. */
  reply(deviceId: number, uniqueId: string, correlation: number, reply: string | null, refusal: string | null = null): void {
    const recorded = refusal === null
      ? this.store.acknowledgeCommand(deviceId, correlation, reply)
      : this.store.refuseCommand(deviceId, correlation, reply, refusal);
    recorded.then(
      (commandId) => {
        if (commandId === null) return;
        this.publish(uniqueId, refusal === null
          ? { type: 'command', commandId, status: 'acknowledged', reply }
          : { type: 'command', commandId, status: 'failed', reply, error: refusal });
      },
      (error: unknown) => this.log.warn({ err: error, deviceId }, 'could not record a command reply'),
    );
  }

  /** Waits for deliveries in progress (shutdown). */
  async settled(): Promise<void> {
    await Promise.all(this.chains.values());
  }

  private deliver(deviceId: number): void {
    const previous = this.chains.get(deviceId) ?? Promise.resolve();
    const next = previous
      .then(() => this.sendQueued(deviceId))
      .catch((error: unknown) => this.log.warn({ err: error, deviceId }, 'command delivery failed'));
    this.chains.set(deviceId, next);
    void next.finally(() => {
      if (this.chains.get(deviceId) === next) this.chains.delete(deviceId);
    });
  }

  private async sendQueued(deviceId: number): Promise<void> {
    const queued = await this.lookups.run(() => this.store.listQueuedCommands(deviceId));
    for (const command of queued) {
      const session = this.sessions.get(deviceId);
      if (!session || session.link.closed) return;
      const uniqueId = session.device!.uniqueId;
      const encoded = session.encodeCommand(command);
      if ('error' in encoded) {
        await this.store.markCommandFailed(command.id, encoded.error);
        this.publish(uniqueId, { type: 'command', commandId: command.id, status: 'failed', error: encoded.error });
        continue;
      }
      // Marked first: if the row is no longer queued (another process sent it), nothing goes out.
      if (!(await this.store.markCommandSent(command.id, encoded.correlation))) continue;
      session.link.send(encoded.frame);
      this.publish(uniqueId, { type: 'command', commandId: command.id, status: 'sent' });
    }
  }
}
