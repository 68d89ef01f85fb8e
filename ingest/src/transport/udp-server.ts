import { createSocket, type Socket } from 'node:dgram';
import type { CreateHandler, Link, LinkHandler } from './link.ts';

export interface UdpServerOptions {
  port: number;
  host?: string;
  /** A peer silent this long loses its session. */
  idleTimeoutMs: number;
  /** Sessions kept at once; a datagram from a new peer beyond this is dropped. */
  maxPeers: number;
  createHandler: CreateHandler;
  /** True while datagrams must be dropped (the batch writer is saturated). */
  shouldDrop(): boolean;
  onDrop(): void;
  /** A datagram from a new peer was dropped because `maxPeers` sessions are open. */
  onPeerRefused(): void;
}

/**
 * Room for a burst of datagrams while the event loop is busy. The kernel grants at most net.core.rmem_max
 * (docs/operations-scaling.md says how to raise it), silently less without.
 */
const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

interface Peer {
  link: UdpLink;
  handler: LinkHandler;
  lastSeenMs: number;
}

/**
 * Datagrams handed to the socket and not yet sent. A send to an address first waits a tick for its (no-op)
 * look-up, so closing the socket right after an ack would lose the ack: close waits for this to reach zero.
 */
class SendTracker {
  private pending = 0;
  private waiters: (() => void)[] = [];

  started(): void {
    this.pending++;
  }

  readonly done = (): void => {
    if (--this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
  };

  async settled(): Promise<void> {
    if (this.pending > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

class UdpLink implements Link {
  readonly transport = 'udp';
  readonly remote: string;
  closed = false;
  private readonly socket: Socket;
  private readonly address: string;
  private readonly port: number;
  private readonly onClose: (reason: string) => void;
  private readonly sends: SendTracker;

  constructor(socket: Socket, sends: SendTracker, address: string, port: number, onClose: (reason: string) => void) {
    this.socket = socket;
    this.sends = sends;
    this.address = address;
    this.port = port;
    this.remote = `${address}:${port}`;
    this.onClose = onClose;
  }

  send(data: Buffer): void {
    if (this.closed) return;
    this.sends.started();
    this.socket.send(data, this.port, this.address, this.sends.done);
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
 * resends what was not acknowledged. Source addresses cost nothing to forge, so the number of sessions is
 * capped: beyond `maxPeers` new peers are refused and the sessions already open keep working (evicting the
 * longest-idle one instead would let a flood of forged sources push out every real terminal in turn).
 */
export class UdpTerminalServer {
  private readonly options: UdpServerOptions;
  private readonly socket: Socket;
  private readonly peers = new Map<string, Peer>();
  private readonly sends = new SendTracker();
  private sweeper: NodeJS.Timeout | undefined;
  private receiving = true;

  constructor(options: UdpServerOptions) {
    this.options = options;
    this.socket = createSocket({ type: 'udp4', reuseAddr: false, recvBufferSize: RECEIVE_BUFFER_BYTES });
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

  /**
   * Datagrams that arrive from now on are ignored; the socket stays open so that acks for what is held still
   * go out (a UDP socket cannot stop reading, and a datagram ignored here is resent by its terminal).
   */
  stopReceiving(): void {
    this.receiving = false;
  }

  async close(): Promise<void> {
    this.receiving = false;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const peer of [...this.peers.values()]) peer.link.close('shutdown');
    await this.sends.settled();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private receive(message: Buffer, address: string, port: number): void {
    if (!this.receiving) return;
    if (this.options.shouldDrop()) {
      this.options.onDrop();
      return;
    }
    const key = `${address}:${port}`;
    let peer = this.peers.get(key);
    if (!peer) {
      if (this.peers.size >= this.options.maxPeers) {
        this.options.onPeerRefused();
        return;
      }
      const link = new UdpLink(this.socket, this.sends, address, port, (reason) => {
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
