/**
 * One terminal's channel back, whatever carries it: a TCP socket, or a UDP peer address. Sessions only
 * ever see this, so the protocol code is the same on both transports.
 */
export interface Link {
  readonly transport: 'tcp' | 'udp';
  /** address:port of the terminal, for logs. */
  readonly remote: string;
  readonly closed: boolean;
  send(data: Buffer): void;
  close(reason: string): void;
}

/** What a transport feeds: raw bytes in, and the end of the channel. */
export interface LinkHandler {
  receive(chunk: Buffer): void;
  closed(reason: string): void;
}

export type CreateHandler = (link: Link) => LinkHandler;
