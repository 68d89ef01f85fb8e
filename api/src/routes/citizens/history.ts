import type { FastifyInstance } from 'fastify';
import { listCallsByCaller, listTicketFollowups, listTicketIdsByPhone, listTicketReplies, listTickets } from '@urbanlink/db';
import { ticketView } from '../tickets/view.ts';

/**
 * Everything the call centre knows about a caller, at once: earlier tickets, the replies they got, the
 * follow-up visits and their results, and their recent calls. What an agent's screen pops when it rings.
 */
export async function callerHistory(app: FastifyInstance, phone: string) {
  const ids = await listTicketIdsByPhone(app.db, phone);
  const [tickets, replies, followups, calls] = await Promise.all([
    ids.length > 0 ? listTickets(app.db, { ids, limit: ids.length }) : [],
    listTicketReplies(app.db, ids),
    listTicketFollowups(app.db, ids),
    listCallsByCaller(app.db, phone),
  ]);
  const nowMs = app.ticketSettings.now();
  return {
    phone,
    tickets: tickets.map((ticket) => ticketView(ticket, { mask: false, nowMs })),
    replies,
    followups,
    calls,
    summary: {
      tickets: tickets.length,
      open: tickets.filter((t) => t.status !== 'closed' && t.status !== 'merged').length,
      dissatisfied: followups.filter((f) => f.result === 'dissatisfied').length,
    },
  };
}
