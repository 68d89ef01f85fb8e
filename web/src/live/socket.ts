/**
 * A WebSocket to the API that comes back by itself: on a drop it retries with a growing delay (1 s up to
 * 30 s), and reports up and down so the caller can fill the gap (poll, re-read).
 */
import { currentToken } from '../api/client.ts';

export interface SocketHandlers {
  onMessage(text: string): void;
  onUp(): void;
  onDown(): void;
}

export class ReconnectingSocket {
  private socket: WebSocket | undefined;
  private delay = 1_000;
  private stopped = false;
  private readonly path: string;
  private readonly handlers: SocketHandlers;

  /** `path` with its query, without the token, which is added here (browsers cannot set headers on a socket). */
  constructor(path: string, handlers: SocketHandlers) {
    this.path = path;
    this.handlers = handlers;
    this.connect();
  }

  close(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private connect(): void {
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const join = this.path.includes('?') ? '&' : '?';
    const socket = new WebSocket(`${scheme}://${location.host}${this.path}${join}token=${encodeURIComponent(currentToken() ?? '')}`);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 1_000;
      this.handlers.onUp();
    };
    socket.onmessage = (event) => this.handlers.onMessage(String(event.data));
    socket.onclose = () => {
      if (this.stopped) return;
      this.handlers.onDown();
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(30_000, this.delay * 2);
    };
  }
}
