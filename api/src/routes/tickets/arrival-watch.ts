import type { FastifyInstance } from 'fastify';
import { insertTicketArrival, listEnRouteTickets } from '@urbanlink/db';
import { ArrivalDetector, type Arrival } from '../../tickets/arrival.ts';
import type { LivePosition } from '../../live/feed.ts';
import { systemActor } from './actor.ts';
import { applyStep } from './workflow.ts';

const DETECTOR = systemActor('arrival-detector');

/**
 * Connects the live position feed to the arrival detector. The watched set is the database's en-route
 * tickets, reloaded periodically so that a dispatch made by another API process is watched here too; each
 * process may then detect the same arrival, and the unique arrival row per ticket and cycle plus the
 * conditional status change let exactly one of them record it.
 */
export class ArrivalWatch {
  readonly #app: FastifyInstance;
  readonly #detector = new ArrivalDetector();
  readonly #watched = new Map<number, number>();
  #timer: NodeJS.Timeout | null = null;
  arrivals = 0;

  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  watch(ticket: { id: number; deviceId: number; lat: number; lon: number }): void {
    const { arrivalRadiusMeters, arrivalMinDwellSeconds } = this.#app.ticketSettings;
    this.#watched.set(ticket.id, ticket.deviceId);
    this.#detector.watch({
      ticketId: ticket.id,
      deviceId: ticket.deviceId,
      lat: ticket.lat,
      lon: ticket.lon,
      radiusMeters: arrivalRadiusMeters,
      minDwellMs: arrivalMinDwellSeconds * 1000,
    });
  }

  forget(ticketId: number): void {
    this.#watched.delete(ticketId);
    this.#detector.unwatch(ticketId);
  }

  /** Watches every en-route ticket not yet watched, and forgets those no longer en route. */
  async refresh(): Promise<void> {
    const enRoute = await listEnRouteTickets(this.#app.db);
    const ids = new Set(enRoute.map((t) => t.id));
    for (const id of this.#watched.keys()) if (!ids.has(id)) this.forget(id);
    for (const ticket of enRoute) {
      if (this.#watched.get(ticket.id) !== ticket.deviceId) this.watch(ticket);
    }
  }

  offer(position: LivePosition): void {
    // Before building a sample: the live feed offers every position of the fleet.
    if (!this.#detector.watches(position.deviceId)) return;
    const arrivals = this.#detector.offer({
      deviceId: position.deviceId,
      fixTimeMs: position.fixTimeMs,
      lat: position.lat,
      lon: position.lon,
      speedKmh: position.speedKmh,
    });
    for (const arrival of arrivals) {
      this.#watched.delete(arrival.ticketId);
      this.#record(arrival).catch((error: unknown) =>
        this.#app.log.error({ err: error, ticketId: arrival.ticketId }, 'could not record an arrival'),
      );
    }
  }

  async #record(arrival: Arrival): Promise<void> {
    const evidence = arrival.evidence.map((e) => ({
      fixTime: new Date(e.fixTimeMs).toISOString(),
      lat: e.lat,
      lon: e.lon,
      speedKmh: e.speedKmh,
      distanceMeters: e.distanceMeters,
    }));
    try {
      await applyStep(this.#app, arrival.ticketId, 'arrived', DETECTOR, {
        kind: 'arrival',
        arrivedAtMs: arrival.arrivedAtMs,
        details: { source: 'auto', deviceId: arrival.deviceId, arrivedAt: evidence[0]!.fixTime, evidence },
        within: async (tx, ticket) => {
          const row = await insertTicketArrival(tx, {
            ticketId: ticket.id,
            cycle: ticket.cycle,
            deviceId: arrival.deviceId,
            arrivedAtMs: arrival.arrivedAtMs,
            source: 'auto',
            evidence,
          });
          if (!row) throw new Error('arrival already recorded');
        },
      });
      this.arrivals += 1;
    } catch (error) {
      // Another process recorded it, or the ticket moved on (handled by hand) while the vehicle drove up.
      if ((error as { statusCode?: number }).statusCode === 409 || (error as Error).message === 'arrival already recorded') return;
      throw error;
    }
  }

  start(everyMs: number): void {
    this.#timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.#app.log.warn({ err: error }, 'could not reload en-route tickets'));
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
