import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { corkUntilNextTick } from './cork.ts';
import type { CreateHandler, Link, LinkHandler } from './link.ts';

export interface TcpServerOptions {
  port: number;
  host?: string;
  /** A connection silent this long is closed. */
  idleTimeoutMs: number;
  createHandler: CreateHandler;
}

/**
 * Keep-alive probes start after this long without traffic: they find terminals that vanished without a FIN
 * before the idle timeout does, and keep operator NAT entries open (docs/operations-scaling.md). Interval and
 * probe count stay the kernel's (tcp_keepalive_intvl, tcp_keepalive_probes).
 */
const KEEPALIVE_DELAY_MS = 240_000;

class TcpLink implements Link {
  readonly transport = 'tcp';
  readonly remote: string;
  private readonly socket: Socket;
  closeReason: string | undefined;

  constructor(socket: Socket) {
    this.socket = socket;
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
  }

  get closed(): boolean {
    return this.socket.destroyed;
  }

  send(data: Buffer): void {
    if (this.socket.destroyed) return;
    corkUntilNextTick(this.socket);
    this.socket.write(data);
  }

  close(reason: string): void {
    this.closeReason ??= reason;
    this.socket.destroy();
  }
}

/**
 * Terminal connections over TCP. Reading stops on every socket while `pause()` is in force (the batch writer
 * is saturated) and the kernel's receive window pushes back on the terminals.
 */
export class TcpTerminalServer {
  private readonly options: TcpServerOptions;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private paused = false;

  constructor(options: TcpServerOptions) {
    this.options = options;
    this.server = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: KEEPALIVE_DELAY_MS }, (socket) => this.accept(socket));
  }

  get connections(): number {
    return this.sockets.size;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    // After start-up an accept error (EMFILE) must not kill the process; the server keeps listening.
    this.server.on('error', () => {});
    return (this.server.address() as AddressInfo).port;
  }

  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) socket.pause();
  }

  resume(): void {
    this.paused = false;
    for (const socket of this.sockets) socket.resume();
  }

  /** Stops accepting; open connections stay until `closeAll`. */
  async stopAccepting(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // close() waits for every connection to end; resolve once no new ones are accepted.
      setImmediate(resolve);
    });
  }

  /**
   * Closes every connection, after what was written to it (the last acks, possibly still corked) has gone
   * out; a terminal that does not close its side within `graceMs` is cut. Resolves once every session has
   * seen its close.
   */
  async closeAll(graceMs = 2_000): Promise<void> {
    const closing = [...this.sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
    for (const socket of this.sockets) {
      socket.end();
      setTimeout(() => socket.destroy(), graceMs).unref();
    }
    await Promise.all(closing);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const link = new TcpLink(socket);
    let handler: LinkHandler;
    try {
      handler = this.options.createHandler(link);
    } catch {
      socket.destroy();
      return;
    }
    socket.setTimeout(this.options.idleTimeoutMs, () => link.close('idle'));
    socket.on('data', (chunk) => handler.receive(chunk));
    // Resets and write-after-close are normal terminal behaviour; 'close' follows and ends the session.
    socket.on('error', () => {});
    socket.once('close', () => {
      this.sockets.delete(socket);
      handler.closed(link.closeReason ?? 'remote');
    });
    if (this.paused) socket.pause();
  }
}
