import type { FastifyInstance } from 'fastify';
import { insertTicketEvent, insertTicketReply, type ReplyMethod, type TicketRecord, type TicketReply } from '@urbanlink/db';
import { HttpError } from '../../plugins/errors.ts';
import type { Actor } from './actor.ts';
import { deliver } from './mail.ts';
import { publishTicketChange } from './notify.ts';

/**
 * Replies to the citizen and keeps the reply. By phone or none the reply is a record of what was said; by
 * SMS it goes to the gateway (`SMS_GATEWAY_URL`, POST `{ to, text, ticket }`) when one is configured and
 * is kept as queued otherwise; by e-mail it is sent through SMTP_URL, or kept as queued without one.
 */
export async function replyToCitizen(
  app: FastifyInstance,
  ticket: TicketRecord,
  reply: { method: ReplyMethod; text: string; recipient?: string | undefined },
  actor: Actor,
): Promise<TicketReply> {
  const recipient =
    reply.recipient ?? (reply.method === 'email' ? ticket.reporterEmail : reply.method === 'none' ? null : ticket.reporterPhone);
  if (reply.method !== 'none' && !recipient) {
    throw new HttpError(400, `the reporter left no ${reply.method === 'email' ? 'e-mail address' : 'phone number'}; give a recipient / 缺少联系方式`);
  }
  let delivery = reply.method === 'sms' || reply.method === 'email' ? 'queued' : 'recorded';
  let deliveryError: string | null = null;
  if (reply.method === 'email' && recipient) {
    const outcome = await deliver(app.ticketMailer, { to: recipient, subject: `工单 ${ticket.number} 答复 / Reply to your complaint ${ticket.number}`, text: reply.text });
    delivery = outcome.delivery;
    deliveryError = outcome.error;
  } else if (reply.method === 'sms' && app.ticketSettings.smsGatewayUrl) {
    try {
      const response = await fetch(app.ticketSettings.smsGatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: recipient, text: reply.text, ticket: ticket.number }),
        signal: AbortSignal.timeout(10_000),
      });
      delivery = response.ok ? 'sent' : 'failed';
      if (!response.ok) deliveryError = `gateway answered ${response.status}`;
    } catch (error) {
      delivery = 'failed';
      deliveryError = (error as Error).message;
    }
  }
  const nowMs = app.ticketSettings.now();
  const saved = await insertTicketReply(app.db, {
    ticketId: ticket.id,
    method: reply.method,
    recipient,
    text: reply.text,
    delivery,
    deliveryError,
    repliedBy: actor.userId,
    atMs: nowMs,
  });
  await insertTicketEvent(app.db, {
    ticketId: ticket.id,
    atMs: nowMs,
    kind: 'reply',
    userId: actor.userId,
    actor: actor.name,
    note: reply.text,
    details: { method: reply.method, delivery, replyId: saved.id },
  });
  await publishTicketChange(app, ticket, 'reply', nowMs);
  return saved;
}
