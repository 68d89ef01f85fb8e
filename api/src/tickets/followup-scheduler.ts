import { matchRule, planFollowups, type ClosedTicket, type FollowupOrder, type FollowupRule } from './followup-rules.ts';

/**
 * What the scheduler needs from storage. `claim` must be atomic per ticket and cycle (a conditional
 * update), so that several API processes running the scheduler plan each closure once.
 */
export interface FollowupStore {
  rules(): Promise<FollowupRule[]>;
  /** Closed tickets whose current cycle has not been planned yet, closed at or before `nowMs`. */
  unplannedClosedTickets(nowMs: number, limit: number): Promise<ClosedTicket[]>;
  /** Marks the ticket's cycle as planned and stores the orders; false when another process got there first. */
  claim(ticketId: number, orders: FollowupOrder[]): Promise<boolean>;
}

export interface SchedulerOptions {
  store: FollowupStore;
  /** The clock, injected so tests can move time. */
  now: () => number;
  intervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
  onPlanned?: (orders: FollowupOrder[]) => void;
}

export interface TickReport {
  tickets: number;
  orders: number;
}

export class FollowupScheduler {
  readonly #options: SchedulerOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<TickReport> | null = null;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /** One pass: plan the visits of every closed ticket not yet planned. Concurrent calls share one pass. */
  tick(): Promise<TickReport> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #pass(): Promise<TickReport> {
    const { store, now, batchSize = 200 } = this.#options;
    const rules = await store.rules();
    const report: TickReport = { tickets: 0, orders: 0 };
    for (;;) {
      const tickets = await store.unplannedClosedTickets(now(), batchSize);
      for (const ticket of tickets) {
        const rule = matchRule(ticket, rules);
        const orders = rule ? planFollowups(ticket, rule) : [];
        if (!(await store.claim(ticket.id, orders))) continue;
        report.tickets++;
        report.orders += orders.length;
        if (orders.length > 0) this.#options.onPlanned?.(orders);
      }
      if (tickets.length < batchSize) return report;
    }
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.tick().catch((error) => this.#options.onError?.(error));
    }, this.#options.intervalMs ?? 60_000);
    // Planning visits must never keep a stopping process alive.
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }
}
