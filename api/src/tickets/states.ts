import type { Role } from '@urbanlink/db';

/**
 * The ticket workflow as a table: every allowed step, who may take it, and what a refusal says. The
 * route answers 409 with `reason`, so the texts are written for the person at the console.
 */
export const TICKET_STATES = [
  'registered',
  'accepted',
  'dispatched',
  'arrived',
  'handled',
  'verified',
  'closed',
  'returned',
  'reopened',
  'merged',
] as const;
export type TicketState = (typeof TICKET_STATES)[number];


/** States in which the case is still being worked on: counted as open by duplicates, overdue lists, Open311. */
export const OPEN_STATES: readonly TicketState[] = [
  'registered',
  'accepted',
  'dispatched',
  'arrived',
  'handled',
  'verified',
  'returned',
  'reopened',
];

export interface Transition {
  from: readonly TicketState[];
  to: TicketState;
  roles: readonly Role[];
}

// Dispatch and merge have their own routes (they need a unit or a target ticket), but they are steps of
// the same machine, so they are rows here too.
const DESK: readonly Role[] = ['admin', 'agent', 'dispatcher'];
const CONTROL: readonly Role[] = ['admin', 'dispatcher'];
const FIELD: readonly Role[] = ['admin', 'dispatcher', 'unit_member'];

export const TRANSITIONS: readonly Transition[] = [
  { from: ['registered', 'reopened'], to: 'accepted', roles: DESK },
  { from: ['accepted', 'returned', 'reopened', 'dispatched', 'arrived'], to: 'dispatched', roles: CONTROL },
  { from: ['dispatched'], to: 'arrived', roles: FIELD },
  { from: ['dispatched', 'arrived'], to: 'handled', roles: FIELD },
  { from: ['handled'], to: 'verified', roles: CONTROL },
  { from: ['verified'], to: 'closed', roles: CONTROL },
  { from: ['accepted', 'dispatched', 'arrived', 'handled'], to: 'returned', roles: FIELD },
  { from: ['closed', 'verified', 'handled'], to: 'reopened', roles: DESK },
  { from: ['registered', 'accepted', 'returned', 'reopened'], to: 'merged', roles: DESK },
];

/** Steps that need more than a note, so `POST /transition` refuses them and names the right route. */
export const OWN_ROUTE: Partial<Record<TicketState, string>> = {
  dispatched: 'POST /api/tickets/{id}/dispatch',
  merged: 'POST /api/tickets/{id}/merge',
};

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

export function checkTransition(from: TicketState, to: TicketState, role: Role): TransitionCheck {
  if (from === 'merged') return { ok: false, reason: 'the ticket was merged into another ticket; work on that one' };
  if (from === 'closed' && to !== 'reopened') {
    return { ok: false, reason: `the ticket is closed; reopen it before moving it to '${to}'` };
  }
  const row = TRANSITIONS.find((t) => t.to === to);
  if (!row) return { ok: false, reason: `'${to}' is not a ticket state` };
  if (!row.from.includes(from)) {
    return {
      ok: false,
      reason: `a ticket cannot go from '${from}' to '${to}'; '${to}' is reached only from ${row.from.map((s) => `'${s}'`).join(', ')}`,
    };
  }
  if (!row.roles.includes(role)) {
    return { ok: false, reason: `the role '${role}' may not move a ticket to '${to}' (allowed: ${row.roles.join(', ')})` };
  }
  return { ok: true };
}

/** The states a ticket can move to next, for the console's buttons. */
export function nextStates(from: TicketState, role: Role): TicketState[] {
  return TRANSITIONS.filter((t) => t.from.includes(from) && t.roles.includes(role)).map((t) => t.to);
}

export function isTicketState(value: string): value is TicketState {
  return (TICKET_STATES as readonly string[]).includes(value);
}
