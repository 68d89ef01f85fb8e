import type { IngestMetrics } from './metrics.ts';
import type { CreateHandler, Link, LinkHandler } from './transport/link.ts';
import { TcpTerminalServer } from './transport/tcp-server.ts';
import { UdpTerminalServer } from './transport/udp-server.ts';
import type { TerminalProtocol } from './store.ts';

export interface ListenOptions {
  /** TCP and UDP port (0 = any free port). */
  port: number;
  host?: string;
  udp?: boolean;
}

export interface ListenersOptions {
  protocols: Partial<Record<TerminalProtocol, ListenOptions | false>>;
  idleTimeoutMs: number;
  /** UDP sessions kept at once on each protocol's port. */
  udpMaxPeers: number;
  metrics: IngestMetrics;
  createSession(protocol: TerminalProtocol, link: Link): LinkHandler;
  /** True while UDP datagrams must be dropped (the writer is saturated). */
  shouldDrop(): boolean;
}

/** Every protocol's TCP and UDP servers, started together and stopped together. */
export class Listeners {
  readonly ports: Partial<Record<TerminalProtocol, number>> = {};
  private readonly tcp: TcpTerminalServer[] = [];
  private readonly udp: UdpTerminalServer[] = [];

  /** Binds every port; on any failure (a port taken) closes what it opened and throws. */
  static async start(options: ListenersOptions): Promise<Listeners> {
    const listeners = new Listeners();
    try {
      for (const protocol of ['gt06', 'jt808'] as const) {
        const listen = options.protocols[protocol];
        if (listen) await listeners.listen(protocol, listen, options);
      }
    } catch (error) {
      await listeners.stopAccepting();
      await listeners.closeAll();
      throw error;
    }
    const { metrics } = options;
    metrics.addGauge('urbanlink_ingest_connections', 'Open TCP terminal connections.', () => listeners.tcp.reduce((sum, s) => sum + s.connections, 0));
    metrics.addGauge('urbanlink_ingest_udp_peers', 'UDP peers with a live session.', () => listeners.udp.reduce((sum, s) => sum + s.peerCount, 0));
    return listeners;
  }

  pause(): void {
    for (const server of this.tcp) server.pause();
  }

  resume(): void {
    for (const server of this.tcp) server.resume();
  }

  /** No new TCP connections, no more UDP datagrams; open connections and UDP sockets stay for their acks. */
  async stopAccepting(): Promise<void> {
    for (const server of this.tcp) await server.stopAccepting();
    for (const server of this.udp) server.stopReceiving();
  }

  async closeAll(): Promise<void> {
    for (const server of this.tcp) await server.closeAll();
    for (const server of this.udp) await server.close();
  }

  private async listen(protocol: TerminalProtocol, listen: ListenOptions, options: ListenersOptions): Promise<void> {
    const createHandler: CreateHandler = (link) => {
      if (link.transport === 'tcp') options.metrics.connectionsOpened.inc({ protocol });
      return options.createSession(protocol, link);
    };
    const tcp = new TcpTerminalServer({ port: listen.port, host: listen.host, idleTimeoutMs: options.idleTimeoutMs, createHandler });
    const port = await tcp.listen();
    this.tcp.push(tcp);
    this.ports[protocol] = port;
    if (listen.udp === false) return;
    const udp = new UdpTerminalServer({
      port,
      host: listen.host,
      idleTimeoutMs: options.idleTimeoutMs,
      maxPeers: options.udpMaxPeers,
      createHandler,
      shouldDrop: options.shouldDrop,
      onDrop: () => options.metrics.udpDropped.inc({ protocol }),
      onPeerRefused: () => options.metrics.udpPeersRefused.inc({ protocol }),
    });
    await udp.listen();
    this.udp.push(udp);
  }
}
