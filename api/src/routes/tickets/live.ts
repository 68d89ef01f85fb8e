import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { userOf } from '../../plugins/auth.ts';
import { unitScope } from '../../plugins/scope.ts';
import type { AgentNotice, IncomingCall, TicketChange } from './notify.ts';

const LiveQuery = Type.Object({
  token: Type.Optional(Type.String()),
  extension: Type.Optional(Type.String({ maxLength: 40, description: "the agent's phone extension: calls ringing there are pushed" })),
});

const DESCRIPTION = `WebSocket of ticket changes: \`{ "type": "ticket", ticketId, number, status, change, unitId, deviceId, time }\`
for every ticket the user may see; \`{ "type": "call", callId, caller, extension, time }\` when the PBX announces a
call to the agent's \`extension\` (then GET /api/citizens/{caller}/history); and, to agents, \`{ "type": "survey" |
"followups", message, count, … }\` when there is new work for them. Token in the query, as for /api/live; closed
with code 4001 when that token expires or is revoked.`;

interface Watcher {
  scope: ReadonlySet<number> | null;
  seesUnassigned: boolean;
  agent: boolean;
  extension: string | null;
  send(text: string): void;
}

/**
 * `GET /api/tickets/live`: ticket changes and incoming calls pushed as they happen in this process. The
 * vehicles' live hub pushes per tick and per device; ticket changes are rare and each one matters, so they
 * go out at once on their own socket.
 */
const ticketsLive: FastifyPluginAsyncTypebox = async (app) => {
  const watchers = new Set<Watcher>();
  app.ticketChanges.on('change', (change: TicketChange) => {
    const text = JSON.stringify(change);
    for (const w of watchers) {
      const visible = w.scope === null || (change.unitId === null ? w.seesUnassigned : w.scope.has(change.unitId));
      if (visible) w.send(text);
    }
  });
  app.ticketChanges.on('notice', (notice: AgentNotice) => {
    const text = JSON.stringify(notice);
    for (const w of watchers) if (w.agent) w.send(text);
  });
  app.ticketChanges.on('call', (call: IncomingCall) => {
    const text = JSON.stringify(call);
    for (const w of watchers) if (w.extension !== null && w.extension === call.extension) w.send(text);
  });

  const pending = new WeakMap<object, Omit<Watcher, 'send'>>();
  app.get(
    '/api/tickets/live',
    {
      websocket: true,
      config: { tokenInQuery: true },
      schema: { tags: ['tickets'], description: DESCRIPTION, querystring: LiveQuery },
      preHandler: async (request) => {
        const scope = await unitScope(request);
        const role = userOf(request).role;
        pending.set(request, {
          scope: scope === null ? null : new Set(scope),
          seesUnassigned: role !== 'unit_member',
          agent: role === 'agent' || role === 'admin',
          extension: request.query.extension ?? null,
        });
      },
    },
    (socket, request) => {
      const settings = pending.get(request);
      if (!settings) return socket.close(1011, 'no scope');
      const watcher: Watcher = { ...settings, send: (text) => socket.send(text) };
      watchers.add(watcher);
      const release = app.holdSession(request, (code, reason) => socket.close(code, reason));
      socket.on('close', () => {
        release();
        watchers.delete(watcher);
      });
      socket.send(JSON.stringify({ type: 'hello' }));
    },
  );
  app.addHook('preClose', async () => watchers.clear());
};

export default ticketsLive;
