import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { findTicketById, findTicketByNumber, insertTicketEvent, upsertTelephonyCall } from '@urbanlink/db';
import { HttpError } from '../../plugins/errors.ts';
import { callerHistory } from '../citizens/history.ts';
import { publishTicketChange } from '../tickets/notify.ts';
import { requireSecret } from './secret.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';

const CallBody = Type.Object(
  {
    callId: Type.String({ minLength: 1, maxLength: 200 }),
    caller: Type.String({ minLength: 1, maxLength: 40 }),
    extension: Type.Optional(Type.String({ maxLength: 40, description: "the agent's extension the call rings at" })),
    startedAt: Type.Optional(Type.String({ format: 'date-time' })),
    ticketId: Type.Optional(Type.Integer({ minimum: 1 })),
    ticketNumber: Type.Optional(Type.String({ maxLength: 40 })),
    recordingUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })),
  },
  { additionalProperties: false },
);

/**
 * The PBX hook. Announcing a call (caller, the agent's extension) returns the caller's history and pushes
 * it to the consoles, so the agent's screen pops it; announcing it again with a recording URL and a ticket
 * attaches the recording to that ticket's timeline.
 */
const telephony: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/telephony/calls',
    { config: { public: true }, preHandler: requireSecret(() => app.ticketSettings.telephonySecret), schema: { tags: ['tickets'], body: CallBody } },
    async (request) => {
      const b = request.body;
      const nowMs = app.ticketSettings.now();
      const ticket = b.ticketId ? await findTicketById(app.db, b.ticketId) : b.ticketNumber ? await findTicketByNumber(app.db, b.ticketNumber) : null;
      if ((b.ticketId || b.ticketNumber) && !ticket) throw new HttpError(404, `ticket ${b.ticketId ?? b.ticketNumber} not found`);
      const call = await upsertTelephonyCall(app.db, {
        callId: b.callId,
        caller: b.caller,
        extension: b.extension ?? null,
        startedAtMs: b.startedAt ? requestTimeMs(b.startedAt, 'startedAt') : nowMs,
        ticketId: ticket?.id ?? null,
        recordingUrl: b.recordingUrl ?? null,
      });
      const linked = ticket ?? (call.ticketId ? await findTicketById(app.db, call.ticketId) : null);
      if (linked && b.recordingUrl) {
        await insertTicketEvent(app.db, {
          ticketId: linked.id, atMs: nowMs, kind: 'call_recording', actor: 'pbx',
          details: { callId: call.callId, caller: call.caller, recordingUrl: b.recordingUrl },
        });
        await publishTicketChange(app, linked, 'call_recording', nowMs);
      }
      app.ticketChanges.emit('call', { type: 'call', callId: call.callId, caller: call.caller, extension: call.extension, time: new Date(nowMs).toISOString() });
      await app.bus?.publish(`urbanlink/v1/calls/${call.extension ?? 'unassigned'}`, { callId: call.callId, caller: call.caller }).catch(() => {});
      return { call, history: await callerHistory(app, call.caller) };
    },
  );
};

export default telephony;
