import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';

/** What is published for every ticket change: small, so subscribers fetch the ticket if they need more. */
export interface TicketChange {
  type: 'ticket';
  ticketId: number;
  number: string;
  status: string;
  /** The kind of step: registered, transition, dispatch, arrival, merge, reply, plan_step, attachment, … */
  change: string;
  unitId: number | null;
  deviceId: number | null;
  time: string;
}

export function ticketTopic(ticketId: number): string {
  return `urbanlink/v1/tickets/${ticketId}`;
}

/** A call the PBX announced, for the console of the agent at `extension` to pop the caller's history. */
export interface IncomingCall {
  type: 'call';
  callId: string;
  caller: string;
  extension: string | null;
  time: string;
}

/** Work for the agents: a survey's sample drawn, follow-up visits planned. */
export interface AgentNotice {
  type: 'survey' | 'followups';
  message: string;
  surveyId?: number;
  ticketId?: number;
  count: number;
  time: string;
}

/** In-process listeners of ticket changes, incoming calls and agents' notices (the WebSocket push listens here). */
export class TicketChanges extends EventEmitter<{ change: [TicketChange]; call: [IncomingCall]; notice: [AgentNotice] }> {}

declare module 'fastify' {
  interface FastifyInstance {
    ticketChanges: TicketChanges;
  }
}

/** Publishes one change on MQTT (`urbanlink/v1/tickets/{id}`) and to this process's listeners. */
export async function publishTicketChange(
  app: FastifyInstance,
  ticket: { id: number; number: string; status: string; unitId: number | null; deviceId: number | null },
  change: string,
  nowMs: number,
): Promise<void> {
  const message: TicketChange = {
    type: 'ticket',
    ticketId: ticket.id,
    number: ticket.number,
    status: ticket.status,
    change,
    unitId: ticket.unitId,
    deviceId: ticket.deviceId,
    time: new Date(nowMs).toISOString(),
  };
  app.ticketChanges.emit('change', message);
  // The change is stored already; a broker that is down must not turn it into a failed request.
  await app.bus?.publish(ticketTopic(ticket.id), message).catch((error: unknown) => {
    app.log.warn({ err: error, ticketId: ticket.id }, 'could not publish a ticket change on MQTT');
  });
}
