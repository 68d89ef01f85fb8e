import type { TicketState } from './states.ts';
import { addWorkingHours, type WorkCalendar } from './working-time.ts';

/**
 * A category's time limits (限时办结), in working hours counted from the start of the ticket's current
 * cycle (registration, or the last reopening): by when it must be accepted, dispatched, reached, handled
 * and closed. Only `closed` is required; a missing stage has no deadline of its own.
 */
export interface StageLimits {
  accepted?: number;
  dispatched?: number;
  arrived?: number;
  handled?: number;
  closed: number;
}

type Stage = keyof StageLimits;

// The stage a ticket in each state is working towards, in the order they are tried: the first one with a
// limit is the stage deadline shown to the operator.
const TARGETS: Record<TicketState, readonly Stage[]> = {
  registered: ['accepted', 'dispatched', 'arrived', 'handled', 'closed'],
  reopened: ['accepted', 'dispatched', 'arrived', 'handled', 'closed'],
  accepted: ['dispatched', 'arrived', 'handled', 'closed'],
  returned: ['dispatched', 'arrived', 'handled', 'closed'],
  dispatched: ['arrived', 'handled', 'closed'],
  arrived: ['handled', 'closed'],
  handled: ['closed'],
  verified: ['closed'],
  closed: [],
  merged: [],
};

export interface Deadlines {
  /** The stage the next deadline belongs to, or null when none applies (closed, merged). */
  stage: Stage | null;
  stageDueAtMs: number | null;
  /** When the whole case must be closed (按期结案). */
  dueAtMs: number | null;
}

export function deadlinesFor(
  state: TicketState,
  cycleStartMs: number,
  limits: StageLimits,
  calendar: WorkCalendar,
): Deadlines {
  const targets = TARGETS[state];
  if (targets.length === 0) return { stage: null, stageDueAtMs: null, dueAtMs: null };
  const stage = targets.find((s) => limits[s] !== undefined) ?? 'closed';
  return {
    stage,
    stageDueAtMs: addWorkingHours(cycleStartMs, limits[stage] ?? limits.closed, calendar),
    dueAtMs: addWorkingHours(cycleStartMs, limits.closed, calendar),
  };
}

export function isOverdue(deadlines: Deadlines, nowMs: number): boolean {
  return (
    (deadlines.stageDueAtMs !== null && nowMs > deadlines.stageDueAtMs) ||
    (deadlines.dueAtMs !== null && nowMs > deadlines.dueAtMs)
  );
}
