import { describe, expect, it } from 'vitest';
import { matchRule, planFollowups, type ClosedTicket, type FollowupOrder, type FollowupRule } from '../src/tickets/followup-rules.ts';
import { FollowupScheduler, type FollowupStore } from '../src/tickets/followup-scheduler.ts';

const rule = (over: Partial<FollowupRule>): FollowupRule => ({
  id: 1, categoryId: null, channel: null, result: null, count: 1, intervalHours: 24, method: 'phone', enabled: true, ...over,
});
const T0 = Date.parse('2026-11-28T10:00:00Z');
const ticket = (over: Partial<ClosedTicket> = {}): ClosedTicket => ({
  id: 5, categoryPath: [3, 1], channel: 'phone', result: 'resolved', closedAtMs: T0, existing: 0, ...over,
});

describe('follow-up rules', () => {
  it('picks the most specific enabled rule, a parent category covering its children', () => {
    const rules = [rule({ id: 1 }), rule({ id: 2, categoryId: 1 }), rule({ id: 3, categoryId: 1, channel: 'phone' }), rule({ id: 4, categoryId: 3, channel: 'phone', enabled: false })];
    expect(matchRule(ticket(), rules)!.id).toBe(3);
    expect(matchRule(ticket({ channel: 'web' }), rules)!.id).toBe(2);
    expect(matchRule(ticket({ categoryPath: [9] }), rules)!.id).toBe(1);
    expect(matchRule(ticket(), [rule({ result: 'unresolved' })])).toBeNull();
  });

  it('plans visits at the interval after closure, ten at most per ticket', () => {
    const orders = planFollowups(ticket(), rule({ count: 3, intervalHours: 48 }));
    expect(orders.map((o) => [o.sequence, o.dueAtMs - T0])).toEqual([[1, 48 * 3_600_000], [2, 96 * 3_600_000], [3, 144 * 3_600_000]]);
    expect(planFollowups(ticket({ existing: 8 }), rule({ count: 5 })).map((o) => o.sequence)).toEqual([9, 10]);
    expect(planFollowups(ticket({ existing: 10 }), rule({ count: 5 }))).toEqual([]);
  });
});

describe('follow-up scheduler', () => {
  /** An in-memory store with the same claim-once contract as the database one. */
  function memoryStore(closed: ClosedTicket[], rules: FollowupRule[]) {
    const planned = new Map<number, FollowupOrder[]>();
    const store: FollowupStore = {
      async rules() { return rules; },
      async unplannedClosedTickets(nowMs, limit) {
        return closed.filter((t) => t.closedAtMs <= nowMs && !planned.has(t.id)).slice(0, limit);
      },
      async claim(ticketId, orders) {
        if (planned.has(ticketId)) return false;
        planned.set(ticketId, orders);
        return true;
      },
    };
    return { store, planned };
  }

  it('plans each closed ticket once, as the injected clock reaches its closure', async () => {
    let now = T0;
    const { store, planned } = memoryStore(
      [ticket({ id: 1 }), ticket({ id: 2, closedAtMs: T0 + 3_600_000 }), ticket({ id: 3, channel: 'web' })],
      [rule({ channel: 'phone', count: 2 })],
    );
    const seen: FollowupOrder[] = [];
    const scheduler = new FollowupScheduler({ store, now: () => now, batchSize: 1, onPlanned: (o) => seen.push(...o) });
    expect(await scheduler.tick()).toEqual({ tickets: 2, orders: 2 }); // ticket 3 matches no rule but is claimed
    expect([...planned.keys()].sort()).toEqual([1, 3]);
    expect(await scheduler.tick()).toEqual({ tickets: 0, orders: 0 });
    now = T0 + 2 * 3_600_000;
    expect(await scheduler.tick()).toEqual({ tickets: 1, orders: 2 });
    expect(seen.map((o) => [o.ticketId, o.sequence])).toEqual([[1, 1], [1, 2], [2, 1], [2, 2]]);
  });

  it('shares one pass between concurrent ticks', async () => {
    const { store } = memoryStore([ticket({ id: 1 })], [rule({})]);
    const scheduler = new FollowupScheduler({ store, now: () => T0 });
    const [a, b] = await Promise.all([scheduler.tick(), scheduler.tick()]);
    expect(a).toBe(b);
    expect(a.orders).toBe(1);
  });
});
