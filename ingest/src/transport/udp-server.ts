import { createSocket, type Socket } from 'node:dgram';
import type { CreateHandler, Link, LinkHandler } from './link.ts';

export interface UdpServerOptions {
  port: number;
  host?: string;
  /** A peer silent this long loses its session. */
  idleTimeoutMs: number;
  createHandler: CreateHandler;
  /** True while datagrams must be dropped (the batch writer is saturated). */
  shouldDrop(): boolean;
  onDrop(): void;
}

interface Peer {
  link: UdpLink;
  handler: LinkHandler;
  lastSeenMs: number;
}

class UdpLink implements Link {
  readonly transport = 'udp';
  readonly remote: string;
  closed = false;
  private readonly socket: Socket;
  private readonly address: string;
  private readonly port: number;
  private readonly onClose: (reason: string) => void;

  constructor(socket: Socket, address: string, port: number, onClose: (reason: string) => void) {
    this.socket = socket;
    this.address = address;
    this.port = port;
    this.remote = `${address}:${port}`;
    this.onClose = onClose;
  }

  send(data: Buffer): void {
    if (!this.closed) this.socket.send(data, this.port, this.address, () => {});
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(reason);
  }
}

/**
 * Terminals over UDP: one session per peer address, kept until the peer falls silent. There is no way to
 * slow a UDP sender, so while the writer is saturated datagrams are dropped and counted; the terminal
 * resends what was not acknowledged.
 */
export class UdpTerminalServer {
  private readonly options: UdpServerOptions;
  private readonly socket: Socket;
  private readonly peers = new Map<string, Peer>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(options: UdpServerOptions) {
    this.options = options;
    this.socket = createSocket({ type: 'udp4', reuseAddr: false });
    this.socket.on('message', (message, rinfo) => this.receive(message, rinfo.address, rinfo.port));
  }

  get peerCount(): number {
    return this.peers.size;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.options.port, this.options.host, () => {
        this.socket.off('error', reject);
        resolve();
      });
    });
    this.socket.on('error', () => {});
    this.sweeper = setInterval(() => this.sweep(), Math.max(1_000, this.options.idleTimeoutMs / 4));
    this.sweeper.unref();
    return this.socket.address().port;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    for (const peer of [...this.peers.values()]) peer.link.close('shutdown');
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(message: Buffer, address: string, port: number): void {
    if (this.options.shouldDrop()) {
      this.options.onDrop();
      return;
    }
    const key = `${address}:${port}`;
    let peer = this.peers.get(key);
    if (!peer) {
      const link = new UdpLink(this.socket, address, port, (reason) => {
        this.peers.delete(key);
        handler.closed(reason);
      });
      const handler = this.options.createHandler(link);
      peer = { link, handler, lastSeenMs: 0 };
      this.peers.set(key, peer);
    }
    peer.lastSeenMs = Date.now();
    peer.handler.receive(message);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.options.idleTimeoutMs;
    for (const peer of [...this.peers.values()]) if (peer.lastSeenMs < cutoff) peer.link.close('idle');
  }
}
