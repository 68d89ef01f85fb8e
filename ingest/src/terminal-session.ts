import type { FrameSplitter, Position } from '@urbanlink/protocols';
import type { CommandTarget, EncodedCommand, SessionContext } from './session-context.ts';
import type { DeviceRecord, QueuedCommand } from './store.ts';
import type { Link, LinkHandler } from './transport/link.ts';

/** Bytes of noise a connection may send before its first good frame. */
const MAX_GARBAGE_BEFORE_FRAME = 2_048;
/** Undecodable frames in a row before the connection is dropped. */
const MAX_BAD_FRAMES_IN_A_ROW = 16;
/** Frames held while the session waits for the database (a login look-up); more are dropped. */
const MAX_FRAMES_WHILE_BUSY = 256;

/**
 * What every protocol session shares: framing, the guard against garbage, and the rule that a frame is
 * handled only after the one before it has settled the session's state (a location that arrives while the
 * login is still being looked up waits for it). Subclasses own the protocol's state machine.
 */
export abstract class TerminalSession implements LinkHandler, CommandTarget {
  readonly link: Link;
  device: DeviceRecord | null = null;
  protected readonly ctx: SessionContext;
  protected abstract readonly protocol: 'gt06' | 'jt808';
  private readonly splitter: FrameSplitter;
  private goodFrames = 0;
  private badInARow = 0;
  private busy = false;
  private held: { frame: Buffer; receivedAt: number }[] = [];
  private attached = false;

  constructor(link: Link, ctx: SessionContext, splitter: FrameSplitter) {
    this.link = link;
    this.ctx = ctx;
    this.splitter = splitter;
  }

  receive(chunk: Buffer): void {
    const receivedAt = performance.now();
    try {
      this.splitter.push(chunk, (frame) => {
        this.ctx.metrics.framesInBy[this.protocol].inc();
        if (this.ctx.archive) this.archive('in', frame);
        if (this.busy) this.hold(frame, receivedAt);
        else this.dispatch(frame, receivedAt);
      });
    } catch (error) {
      // No input may crash the process: a codec bug costs this one connection.
      this.ctx.log.error({ err: error, remote: this.link.remote }, 'frame handling failed');
      this.link.close('error');
      return;
    }
    if (this.goodFrames === 0 && this.splitter.stats.garbageBytes > MAX_GARBAGE_BEFORE_FRAME) this.link.close('garbage');
  }

  closed(reason: string): void {
    this.ctx.metrics.connectionsClosed.inc({ protocol: this.protocol, reason });
    this.held = [];
    if (this.attached) {
      this.attached = false;
      this.ctx.detach(this);
    }
  }

  abstract encodeCommand(command: QueuedCommand): EncodedCommand;

  /** Decodes and acts on one frame; returns a promise when the session must wait before the next frame. */
  protected abstract handle(frame: Buffer, receivedAt: number): Promise<void> | void;

  /** Called by subclasses for each frame that decoded, and each that did not. */
  protected frameDecoded(): void {
    this.goodFrames++;
    this.badInARow = 0;
    if (this.attached) this.ctx.seen(this.device!);
  }

  protected frameRejected(reason: string): void {
    this.ctx.metrics.badFrames.inc({ protocol: this.protocol, reason });
    if (++this.badInARow >= MAX_BAD_FRAMES_IN_A_ROW) this.link.close('garbage');
  }

  protected send(frame: Buffer, receivedAt?: number): void {
    if (this.link.closed) return;
    this.link.send(frame);
    this.ctx.metrics.framesOutBy[this.protocol].inc();
    if (this.ctx.archive) this.archive('out', frame);
    if (receivedAt !== undefined) this.ctx.metrics.ackSeconds.observe((performance.now() - receivedAt) / 1_000);
  }

  /** Becomes the session of `device`: online, commands routed here. */
  protected attach(device: DeviceRecord): void {
    if (this.attached && this.device?.id === device.id) return;
    if (this.attached) this.ctx.detach(this);
    this.device = device;
    this.attached = true;
    this.ctx.attach(this);
  }

  /** Stores, then acknowledges with `ack` (built lazily: it may need a serial only known at send time). */
  protected storeThenAck(device: DeviceRecord, positions: Position[], receivedAt: number, ack: () => Buffer | null): void {
    this.ctx.storePositions(device, positions, (stored) => {
      // Not stored, so not acknowledged: the terminal resends it.
      if (!stored) return;
      try {
        const frame = ack();
        if (frame) this.send(frame, receivedAt);
      } catch (error) {
        this.ctx.log.error({ err: error, remote: this.link.remote }, 'acknowledgement failed');
        this.link.close('error');
      }
    });
  }

  private archive(direction: 'in' | 'out', frame: Buffer): void {
    this.ctx.archive!.record({
      receivedAtMs: Date.now(),
      deviceId: this.device?.id ?? null,
      protocol: this.protocol,
      direction,
      remoteAddress: this.link.remote,
      // The splitter's view is reused after this call.
      frame: Buffer.from(frame),
    });
  }

  private dispatch(frame: Buffer, receivedAt: number): void {
    let pending: Promise<void> | void;
    try {
      pending = this.handle(frame, receivedAt);
    } catch (error) {
      this.ctx.log.error({ err: error, remote: this.link.remote }, 'frame handling failed');
      this.link.close('error');
      return;
    }
    if (!pending) return;
    this.busy = true;
    pending
      .catch((error: unknown) => {
        this.ctx.log.warn({ err: error, remote: this.link.remote }, 'session step failed');
        this.link.close('error');
      })
      .finally(() => {
        this.busy = false;
        this.drain();
      });
  }

  private hold(frame: Buffer, receivedAt: number): void {
    if (this.held.length >= MAX_FRAMES_WHILE_BUSY) {
      this.ctx.metrics.badFrames.inc({ protocol: this.protocol, reason: 'overflow' });
      return;
    }
    // The splitter's view is only valid during its callback.
    this.held.push({ frame: Buffer.from(frame), receivedAt });
  }

  private drain(): void {
    while (!this.busy && this.held.length > 0 && !this.link.closed) {
      const next = this.held.shift()!;
      this.dispatch(next.frame, next.receivedAt);
    }
  }
}
