import { expect } from 'vitest';
import WebSocket from 'ws';

/** A browser's view of /api/live on a real port: every message the server pushed, once it said hello. */
export async function connectLive(base: string, token: string): Promise<{ socket: WebSocket; messages: Record<string, unknown>[] }> {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/api/live?token=${encodeURIComponent(token)}`);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  await expect.poll(() => messages[0]?.type).toBe('hello');
  return { socket, messages };
}
