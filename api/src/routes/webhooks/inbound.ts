import type { FastifyInstance } from 'fastify';
import { findTicketByNumber, insertTicketEvent, insertTicketReporter, listTicketReporters } from '@urbanlink/db';
import { findTicketNumber } from '../../tickets/numbering.ts';
import { systemActor } from '../tickets/actor.ts';
import { publishTicketChange } from '../tickets/notify.ts';
import { registerTicket } from '../tickets/register.ts';

export interface InboundMessage {
  channel: 'sms' | 'email';
  /** The sender's phone number (SMS) or address (e-mail). */
  from: string;
  text: string;
  category?: string | undefined;
  messageId?: string | undefined;
}

/**
 * A message from a gateway: added to the ticket whose number it quotes (a citizen answering a reply), or
 * registered as a new ticket in the message's category or the inbound one, to be placed by an agent.
 */
export async function receiveMessage(app: FastifyInstance, message: InboundMessage) {
  const actor = systemActor(message.channel);
  const nowMs = app.ticketSettings.now();
  const quoted = findTicketNumber(message.text);
  const existing = quoted ? await findTicketByNumber(app.db, quoted) : null;
  const contact = message.channel === 'sms' ? { phone: message.from } : { email: message.from };
  if (existing) {
    const reporters = await listTicketReporters(app.db, existing.id);
    const known = reporters.some((r) => (message.channel === 'sms' ? r.phone : r.email) === message.from);
    if (!known) await insertTicketReporter(app.db, { ticketId: existing.id, ...contact, channel: message.channel, atMs: nowMs });
    await insertTicketEvent(app.db, {
      ticketId: existing.id, atMs: nowMs, kind: 'message', actor: actor.name, note: message.text,
      details: { channel: message.channel, from: message.from, messageId: message.messageId ?? null },
    });
    await publishTicketChange(app, existing, 'message', nowMs);
    return { created: false, ticketId: existing.id, number: existing.number };
  }
  const { ticket } = await registerTicket(
    app,
    {
      category: message.category ?? app.ticketSettings.inboundCategory,
      channel: message.channel,
      description: message.text,
      lat: null,
      lon: null,
      reporterPhone: contact.phone ?? null,
      reporterEmail: contact.email ?? null,
      externalRef: message.messageId ?? null,
    },
    actor,
  );
  return { created: true, ticketId: ticket.id, number: ticket.number };
}
