import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LiveClient, Subscription } from '../../live/hub.ts';
import { unitScope } from '../../plugins/scope.ts';
import { LIVE_DESCRIPTION } from '../../schemas/live.ts';
import { LiveQuery } from './schemas.ts';

const MAX_DEVICE_IDS = 10_000;

/** Parses a client's subscribe message; a string names what is wrong. */
export function parseSubscription(text: string): Subscription | string {
  let message: { type?: unknown; bbox?: unknown; deviceIds?: unknown };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return 'messages must be JSON';
  }
  if (message?.type !== 'subscribe') return "the only message a client sends is { \"type\": \"subscribe\", … }";
  let bbox: Subscription['bbox'] = null;
  if (message.bbox != null) {
    const box = message.bbox;
    if (!Array.isArray(box) || box.length !== 4 || !box.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return 'bbox must be [west, south, east, north] in degrees';
    }
    const [west, south, east, north] = box as number[];
    if (Math.abs(west!) > 180 || Math.abs(east!) > 180 || south! < -90 || north! > 90 || south! > north!) return 'bbox is outside the globe or upside down';
    bbox = [west!, south!, east!, north!];
  }
  let deviceIds: Set<number> | null = null;
  if (message.deviceIds != null) {
    const ids = message.deviceIds;
    if (!Array.isArray(ids) || ids.length > MAX_DEVICE_IDS || !ids.every((id) => Number.isInteger(id) && id > 0)) {
      return `deviceIds must be an array of at most ${MAX_DEVICE_IDS} device ids`;
    }
    deviceIds = new Set(ids as number[]);
  }
  return { bbox, deviceIds };
}

/** `GET /api/live`: the WebSocket that pushes coalesced position, status and dispatch changes. */
const live: FastifyPluginAsyncTypebox = async (app) => {
  // The scope is looked up before the upgrade, so the socket handler is synchronous and misses no message.
  const scopes = new WeakMap<FastifyRequest, number[] | null>();
  app.get(
    '/api/live',
    {
      websocket: true,
      config: { tokenInQuery: true },
      // The token rides in the URL here; request logs must not carry it.
      logSerializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: req.url.replace(/([?&]token=)[^&]*/, '$1…'), remoteAddress: req.ip }),
      },
      schema: { tags: ['live'], description: LIVE_DESCRIPTION, querystring: LiveQuery },
      preHandler: async (request) => void scopes.set(request, await unitScope(request)),
    },
    (socket, request) => {
      const scope = scopes.get(request);
      if (scope === undefined) return socket.close(1011, 'no scope');
      const client: LiveClient = {
        scope: scope === null ? null : new Set(scope),
        subscription: { bbox: null, deviceIds: null },
        send: (text) => socket.send(text),
        bufferedBytes: () => socket.bufferedAmount,
        close: (code, reason) => socket.close(code, reason),
      };
      socket.on('message', (data) => {
        const parsed = parseSubscription(data.toString());
        if (typeof parsed === 'string') {
          socket.send(JSON.stringify({ type: 'error', message: parsed }));
          return;
        }
        client.subscription = parsed;
        socket.send(JSON.stringify({ type: 'subscribed', bbox: parsed.bbox, deviceIds: parsed.deviceIds && [...parsed.deviceIds] }));
      });
      const release = app.holdSession(request, (code, reason) => socket.close(code, reason));
      socket.on('close', () => {
        release();
        app.liveHub.remove(client);
      });
      app.liveHub.add(client);
      socket.send(JSON.stringify({ type: 'hello', tickMs: app.config.liveTickMs }));
    },
  );
};

export default live;
