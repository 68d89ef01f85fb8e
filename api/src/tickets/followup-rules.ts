/**
 * Follow-up visit (回访) rules: which closed tickets get visits, how many (at most ten per ticket), how
 * far apart, and by which method. A rule names a category (covering its sub-categories), a channel and a
 * result, each optional; the most specific matching rule wins.
 */
export const FOLLOWUP_METHODS = ['phone', 'email', 'sms'] as const;
export type FollowupMethod = (typeof FOLLOWUP_METHODS)[number];

export const FOLLOWUP_RESULTS = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'] as const;
export type FollowupResult = (typeof FOLLOWUP_RESULTS)[number];

export const MAX_FOLLOWUPS_PER_TICKET = 10;

export interface FollowupRule {
  id: number;
  categoryId: number | null;
  channel: string | null;
  /** The ticket's handling result ('resolved', 'unresolved', …) as recorded at closure. */
  result: string | null;
  count: number;
  intervalHours: number;
  method: FollowupMethod;
  enabled: boolean;
}

export interface ClosedTicket {
  id: number;
  /** The ticket's category and all its ancestors, so a rule on a parent category covers its children. */
  categoryPath: number[];
  channel: string;
  result: string | null;
  closedAtMs: number;
  /** Follow-ups the ticket already has from earlier cycles (before a reopening). */
  existing: number;
}

export interface FollowupOrder {
  ticketId: number;
  ruleId: number;
  sequence: number;
  method: FollowupMethod;
  dueAtMs: number;
}

function specificity(rule: FollowupRule): number {
  return (rule.categoryId === null ? 0 : 4) + (rule.channel === null ? 0 : 2) + (rule.result === null ? 0 : 1);
}

export function matchRule(ticket: ClosedTicket, rules: readonly FollowupRule[]): FollowupRule | null {
  let best: FollowupRule | null = null;
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (rule.categoryId !== null && !ticket.categoryPath.includes(rule.categoryId)) continue;
    if (rule.channel !== null && rule.channel !== ticket.channel) continue;
    if (rule.result !== null && rule.result !== ticket.result) continue;
    if (!best || specificity(rule) > specificity(best)) best = rule;
  }
  return best;
}

/** The visits a closed ticket gets: `count` of them, `intervalHours` apart, after closure; ten at most in all. */
export function planFollowups(ticket: ClosedTicket, rule: FollowupRule): FollowupOrder[] {
  const room = Math.max(0, MAX_FOLLOWUPS_PER_TICKET - ticket.existing);
  const count = Math.min(rule.count, room);
  const orders: FollowupOrder[] = [];
  for (let i = 1; i <= count; i++) {
    orders.push({
      ticketId: ticket.id,
      ruleId: rule.id,
      sequence: ticket.existing + i,
      method: rule.method,
      dueAtMs: ticket.closedAtMs + i * rule.intervalHours * 3_600_000,
    });
  }
  return orders;
}
