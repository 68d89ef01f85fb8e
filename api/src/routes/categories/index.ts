import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  findTicketCategory,
  insertTicketCategory,
  listTicketCategories,
  listWorkCalendars,
  updateTicketCategory,
  upsertWorkCalendar,
} from '@urbanlink/db';
import { requireRole } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError } from '../../plugins/errors.ts';
import { IdParams } from '../../schemas/common.ts';
import { CalendarBody, CategoryPatchBody, NewCategoryBody } from './schemas.ts';

const tags = ['tickets'];

/** The ticket category tree with its time limits, and the working calendars the limits count in. */
const categories: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/categories', { schema: { tags } }, async () => listTicketCategories(app.db));

  app.post('/api/categories', { preHandler: requireRole(), schema: { tags, body: NewCategoryBody } }, async (request, reply) => {
    const { parentId } = request.body;
    if (parentId != null && !(await findTicketCategory(app.db, parentId))) throw new HttpError(404, `parent category ${parentId} not found`);
    const category = await insertTicketCategory(app.db, request.body);
    await audit(request, { action: 'category.create', entityType: 'category', entityId: category.id, details: request.body });
    return reply.code(201).send(category);
  });

  app.patch('/api/categories/:id', { preHandler: requireRole(), schema: { tags, params: IdParams, body: CategoryPatchBody } }, async (request) => {
    if (request.body.parentId === request.params.id) throw new HttpError(409, 'a category cannot be its own parent');
    const category = await updateTicketCategory(app.db, request.params.id, request.body);
    if (!category) throw new HttpError(404, `category ${request.params.id} not found`);
    await audit(request, { action: 'category.update', entityType: 'category', entityId: category.id, details: request.body });
    return category;
  });

  app.get('/api/calendars', { schema: { tags } }, async () => listWorkCalendars(app.db));

  app.put('/api/calendars', { preHandler: requireRole(), schema: { tags, body: CalendarBody } }, async (request) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: request.body.timeZone });
    } catch {
      throw new HttpError(400, `unknown time zone '${request.body.timeZone}'`);
    }
    const calendar = await upsertWorkCalendar(app.db, request.body);
    await audit(request, { action: 'calendar.save', entityType: 'calendar', entityId: calendar.id, details: request.body });
    return calendar;
  });
};

export default categories;
