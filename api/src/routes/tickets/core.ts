import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import {
  claimFollowupPlan,
  findTicketById,
  recordOrderProgress,
  listFollowupRules,
  listUnplannedClosures,
} from '@urbanlink/db';
import { FollowupScheduler } from '../../tickets/followup-scheduler.ts';
import { ArrivalWatch } from './arrival-watch.ts';
import { createMailer, type Mailer } from './mail.ts';
import { publishTicketChange, TicketChanges } from './notify.ts';
import { ticketSettings, type TicketSettings } from './settings.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ticketSettings: TicketSettings;
    ticketMailer: Mailer | null;
    arrivalWatch: ArrivalWatch;
    followupScheduler: FollowupScheduler;
  }
}

// How often en-route tickets dispatched by other API processes are picked up for arrival detection.
const EN_ROUTE_RELOAD_MS = 15_000;

/**
 * The ticket side's shared parts, for every ticket route: settings, the change publisher, the arrival
 * watch on the live feed, and the follow-up scheduler (run periodically on the settings' clock).
 */
export default fp(
  async (app) => {
    const settings = ticketSettings(app.config);
    app.decorate('ticketSettings', settings);
    app.decorate('ticketChanges', new TicketChanges());
    const mailer = createMailer(settings.smtpUrl, settings.mailFrom);
    app.decorate('ticketMailer', mailer);
    const watch = new ArrivalWatch(app);
    app.decorate('arrivalWatch', watch);
    app.liveFeed.on('position', (position) => watch.offer(position));
    // Ingest publishes an order's steps in order on one connection; recording them one at a time, at the time
    // each step happened, keeps 'sent' before 'acknowledged' on the timeline even when both land within 1 ms.
    let recorded = Promise.resolve();
    app.liveFeed.on('event', (event) => {
      if (event.type !== 'command' || typeof event.commandId !== 'number') return;
      const status = event.status;
      if (status !== 'sent' && status !== 'acknowledged' && status !== 'failed') return;
      const reply = typeof event.reply === 'string' ? event.reply : null;
      const error = typeof event.error === 'string' ? event.error : null;
      // A refused order shows why (the terminal's result named), not the raw reply it came with.
      const text = status === 'failed' ? (error ?? reply) : (reply ?? error);
      const happenedMs = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;
      const progress: Parameters<typeof recordOrderProgress>[1] = { commandId: event.commandId, status, text, atMs: Number.isFinite(happenedMs) ? happenedMs : settings.now() };
      recorded = recorded.then(() =>
        orderProgress(app, progress).catch((error: unknown) =>
          app.log.warn({ err: error, commandId: progress.commandId }, 'could not record a dispatch order\'s progress'),
        ),
      );
    });
    const scheduler = new FollowupScheduler({
      now: settings.now,
      intervalMs: settings.followupSchedulerSeconds * 1000,
      store: {
        rules: () => listFollowupRules(app.db),
        unplannedClosedTickets: (nowMs, limit) => listUnplannedClosures(app.db, nowMs, limit),
        claim: (ticketId, orders) => claimFollowupPlan(app.db, ticketId, orders),
      },
      onError: (error) => app.log.error({ err: error }, 'follow-up planning failed'),
      // Agents' consoles learn that visits were planned; the due queue itself is GET /api/followups/due.
      onPlanned: (orders) => {
        const ticketId = orders[0]!.ticketId;
        app.ticketChanges.emit('notice', {
          type: 'followups', ticketId, count: orders.length, time: new Date(settings.now()).toISOString(),
          message: `工单 ${ticketId} 已安排 ${orders.length} 次回访 / ${orders.length} follow-up visits planned for ticket ${ticketId}`,
        });
        void app.bus?.publish('urbanlink/v1/followups', { type: 'followups', ticketId, planned: orders.length }).catch(() => {});
      },
    });
    app.decorate('followupScheduler', scheduler);
    app.addHook('onReady', async () => {
      await watch.refresh();
      watch.start(EN_ROUTE_RELOAD_MS);
      if (settings.followupSchedulerSeconds > 0) scheduler.start();
    });
    app.addHook('preClose', async () => {
      watch.stop();
      await scheduler.stop();
      mailer?.close();
    });
  },
  { name: 'urbanlink-tickets', dependencies: ['urbanlink-db', 'urbanlink-bus'] },
);

/** A terminal order's progress, from ingest's command event, on the timeline of the ticket it dispatched. */
async function orderProgress(app: FastifyInstance, progress: Parameters<typeof recordOrderProgress>[1]): Promise<void> {
  const ticketId = await recordOrderProgress(app.db, progress);
  if (ticketId === null) return;
  const ticket = await findTicketById(app.db, ticketId);
  if (ticket) await publishTicketChange(app, ticket, `order_${progress.status}`, progress.atMs);
}
