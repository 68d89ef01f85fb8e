import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listMeasureTickets } from '@urbanlink/db';
import { sendStatistic } from '../../stats/send.ts';
import { durationStats, hotspotStats, periodOf, satisfactionStats, ticketStats, vehicleStats, workloadStats } from '../../stats/statistics.ts';
import { durationTable, hotspotTable, satisfactionTable, ticketTable, vehicleTable, workloadTable } from '../../stats/tables.ts';
import { resolveWindow } from '../../stats/window.ts';
import { HotspotsQuery, TicketsQuery, TraceQuery, WindowQuery } from './schemas.ts';

const tags = ['statistics'];

/**
 * Statistics for leaders and the console dashboard: any period, any unit subtree within the caller's. Each
 * answers JSON, or its table as CSV or XLSX with `format=`; the printable report is under /api/reports.
 */
const stats: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/stats/tickets', { schema: { tags, querystring: TicketsQuery, summary: 'Ticket volume, 应结案数, 结案率 and 按期结案率, grouped' } }, async (request, reply) => {
    const w = await resolveWindow(request, request.query);
    const data = await ticketStats(app.db, w, request.query.groupBy ?? 'category');
    return sendStatistic(reply, request.query.format, data, ticketTable, `tickets-by-${data.groupBy}`);
  });

  app.get('/api/stats/tickets/trace', { schema: { tags, querystring: TraceQuery, summary: 'The tickets behind a count' } }, async (request) => {
    const w = await resolveWindow(request, request.query);
    return { ...periodOf(w), measure: request.query.measure, tickets: await listMeasureTickets(app.db, w, request.query.measure, request.query.limit ?? 1000) };
  });

  app.get('/api/stats/durations', { schema: { tags, querystring: WindowQuery, summary: 'Handling and response times per stage, terminal acknowledgement times' } }, async (request, reply) => {
    const w = await resolveWindow(request, request.query);
    return sendStatistic(reply, request.query.format, await durationStats(app.db, w), durationTable, 'durations');
  });

  app.get('/api/stats/workload', { schema: { tags, querystring: WindowQuery, summary: 'Per-staff workload' } }, async (request, reply) => {
    const w = await resolveWindow(request, request.query);
    return sendStatistic(reply, request.query.format, await workloadStats(app.db, w), workloadTable, 'workload');
  });

  app.get('/api/stats/satisfaction', { schema: { tags, querystring: WindowQuery, summary: 'Follow-up satisfaction' } }, async (request, reply) => {
    const w = await resolveWindow(request, request.query);
    return sendStatistic(reply, request.query.format, await satisfactionStats(app.db, w), satisfactionTable, 'satisfaction');
  });

  app.get('/api/stats/vehicles', { schema: { tags, querystring: WindowQuery, summary: 'Vehicle mileage, time moving and time on duty per day, from the daily aggregate' } }, async (request, reply) => {
    const w = await resolveWindow(request, request.query);
    return sendStatistic(reply, request.query.format, await vehicleStats(app.db, w), vehicleTable, 'vehicles');
  });

  app.get('/api/stats/hotspots', { schema: { tags, querystring: HotspotsQuery, summary: 'Heat map cells and places where a category recurs' } }, async (request, reply) => {
    const q = request.query;
    const w = await resolveWindow(request, q);
    const data = await hotspotStats(app.db, w, { cellMeters: q.cellMeters ?? 200, minCount: q.minCount ?? 3, limit: q.limit ?? 100 });
    return sendStatistic(reply, q.format, data, hotspotTable, 'hotspots');
  });
};

export default stats;
