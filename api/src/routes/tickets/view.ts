import type { Role, TicketEvent, TicketRecord } from '@urbanlink/db';
import { maskEmail, maskName, maskPhone } from '../../tickets/masking.ts';

const seconds = (from: Date | null, to: Date | null) =>
  from && to ? Math.round((to.getTime() - from.getTime()) / 1000) : null;

/** Roles that see who complained only through the audited reveal route. */
export function masksReporter(role: Role): boolean {
  return role === 'unit_member' || role === 'auditor';
}

/**
 * A ticket as the API shows it: the stored record, the reporter masked for roles that must not call the
 * citizen, the terminal order's state, response times, and whether it is overdue at `nowMs`.
 */
export function ticketView(ticket: TicketRecord, options: { mask: boolean; nowMs: number }) {
  const { reporterName, reporterPhone, reporterEmail, dispatchCommandId, dispatchCommandStatus, dispatchAckedAt, ...rest } = ticket;
  const open = ticket.status !== 'closed' && ticket.status !== 'merged';
  const overdue =
    open &&
    ((ticket.stageDueAt !== null && ticket.stageDueAt.getTime() < options.nowMs) ||
      (ticket.dueAt !== null && ticket.dueAt.getTime() < options.nowMs));
  return {
    ...rest,
    category: ticket.categoryCode,
    reporter: options.mask
      ? { name: maskName(reporterName), phone: maskPhone(reporterPhone), email: maskEmail(reporterEmail), masked: true }
      : { name: reporterName, phone: reporterPhone, email: reporterEmail, masked: false },
    reporterPhone: options.mask ? maskPhone(reporterPhone) : reporterPhone,
    // An Open311 account or a mail message id can lead back to the citizen too.
    externalRef: options.mask ? null : ticket.externalRef,
    dispatchCommand:
      dispatchCommandId === null
        ? null
        : { id: dispatchCommandId, status: dispatchCommandStatus, acknowledgedAt: dispatchAckedAt },
    overdue,
    // Registered → dispatched → arrived → handled, in seconds of clock time, for the current cycle.
    responseTimes: {
      dispatchSeconds: seconds(ticket.cycleStartedAt, ticket.dispatchedAt),
      arrivalSeconds: seconds(ticket.dispatchedAt, ticket.arrivedAt),
      handlingSeconds: seconds(ticket.arrivedAt ?? ticket.dispatchedAt, ticket.handledAt),
      totalSeconds: seconds(ticket.cycleStartedAt, ticket.handledAt),
    },
  };
}

export type TicketView = ReturnType<typeof ticketView>;

// Timeline details that name the citizen: the sender of a message, the caller of a recorded call.
const CONTACT_DETAILS = ['from', 'caller'] as const;

/** A timeline entry as a masked role sees it: contacts reduced like the reporter's. */
export function maskedEvent(event: TicketEvent): TicketEvent {
  const details = { ...event.details };
  for (const key of CONTACT_DETAILS) {
    const value = details[key];
    if (typeof value === 'string') details[key] = value.includes('@') ? maskEmail(value) : maskPhone(value);
  }
  return { ...event, details };
}
