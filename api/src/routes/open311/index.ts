import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import {
  findOpen311Key,
  findTicketById,
  findTicketCategory,
  listTicketCategories,
  listTicketReplies,
  listTickets,
  type TicketRecord,
  type TicketStatus,
} from '@urbanlink/db';
import { OPEN_STATES } from '../../tickets/states.ts';
import { open311Errors, parseNewRequest, toRequest, toService, type Open311Error } from '../../tickets/open311.ts';
import { toXml, toXmlDocument } from '../../tickets/xml.ts';
import { systemActor } from '../tickets/actor.ts';
import { registerTicket } from '../tickets/register.ts';
import { parseForm } from './form.ts';
import { requestTimeMs } from '../../schemas/request-time.ts';

type Format = 'json' | 'xml';

const DEFAULT_WINDOW_MS = 90 * 24 * 3_600_000;
const MAX_PAGE_SIZE = 1000;

function send(reply: FastifyReply, format: Format, status: number, root: string, item: string, records: readonly object[]) {
  reply.code(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, item, records));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(records));
}

function fail(reply: FastifyReply, format: Format, errors: Open311Error[]) {
  return send(reply, format, errors[0]!.code, 'errors', 'error', errors);
}

/** `requests.json` → ['requests', 'json']; null for anything but .json and .xml. */
function splitFormat(file: string): [string, Format] | null {
  const match = /^(.+)\.(json|xml)$/.exec(file);
  return match ? [match[1]!, match[2] as Format] : null;
}

function requestView(ticket: TicketRecord, extensions: boolean, replyText: string | null = null) {
  return toRequest(
    {
      id: ticket.id,
      number: ticket.number,
      status: ticket.status,
      categoryCode: ticket.categoryCode,
      categoryName: ticket.categoryName,
      description: ticket.description,
      address: ticket.address,
      lat: ticket.lat,
      lon: ticket.lon,
      registeredAt: ticket.registeredAt.toISOString(),
      updatedAt: ticket.updatedAt.toISOString(),
      dueAt: ticket.dueAt?.toISOString() ?? null,
      unitName: ticket.unitName,
      channel: ticket.channel,
      priority: ticket.priority,
      mediaUrl: null,
      replyText,
    },
    extensions,
  );
}

/**
 * Open311 GeoReport v2 at `/open311/v2/`: services from the public categories, requests as tickets of
 * channel 'open311'. Public (no Bearer token); creating a request needs an `api_key`. Errors are GeoReport
 * error lists, in the format the path asked for.
 */
const open311: FastifyPluginAsync = async (app) => {
  // Only this plugin's routes take form bodies; the rest of the API stays JSON.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseForm(body as string));
  });

  app.get<{ Params: { file: string } }>('/open311/v2/:file', { schema: { tags: ['open311'] } }, async (request, reply) => {
    const parts = splitFormat(request.params.file);
    if (!parts) return fail(reply, 'json', open311Errors(404, `no resource ${request.params.file}; use .json or .xml`));
    const [resource, format] = parts;
    if (resource === 'services') {
      const categories = await listTicketCategories(app.db);
      const names = new Map(categories.map((c) => [c.id, c.name]));
      const parents = new Set(categories.map((c) => c.parentId));
      const services = categories
        .filter((c) => c.active && c.public && !parents.has(c.id))
        .map((c) => toService({ ...c, parentName: c.parentId === null ? null : (names.get(c.parentId) ?? null) }));
      return send(reply, format, 200, 'services', 'service', services);
    }
    if (resource === 'requests') return listRequests(request.query as Record<string, string | undefined>, format, reply);
    return fail(reply, format, open311Errors(404, `no resource ${resource}`));
  });

  async function listRequests(query: Record<string, string | undefined>, format: Format, reply: FastifyReply) {
    const extensions = query.extensions === 'true';
    if (query.service_request_id) {
      const ids = query.service_request_id.split(',').map(Number).filter((id) => Number.isInteger(id) && id > 0);
      const found = await listTickets(app.db, { ids, limit: MAX_PAGE_SIZE });
      return send(reply, format, 200, 'service_requests', 'request', found.map((t) => requestView(t, extensions)));
    }
    const end = query.end_date ? requestTimeMs(query.end_date, 'end_date') : Date.now();
    const start = query.start_date ? requestTimeMs(query.start_date, 'start_date') : end - DEFAULT_WINDOW_MS;
    if (Number.isNaN(start) || Number.isNaN(end)) return fail(reply, format, open311Errors(400, 'start_date and end_date must be ISO 8601 (w3 format) times'));
    const pageSize = Math.min(Number(query.page_size ?? MAX_PAGE_SIZE) || MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const page = Math.max(1, Number(query.page ?? 1) || 1);
    const statuses = query.status?.split(',').flatMap((s): readonly TicketStatus[] =>
      s === 'open' ? (OPEN_STATES as TicketStatus[]) : s === 'closed' ? ['closed', 'merged'] : [],
    );
    let categoryIds: number[] | null = null;
    if (query.service_code) {
      const found = await Promise.all(query.service_code.split(',').map((code) => findTicketCategory(app.db, code.trim())));
      categoryIds = found.map((c) => c?.id ?? -1);
    }
    const rows = await listTickets(app.db, {
      statuses: statuses && statuses.length > 0 ? statuses : null,
      categoryIds,
      registeredFromMs: start,
      registeredToMs: end,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return send(reply, format, 200, 'service_requests', 'request', rows.map((t) => requestView(t, extensions)));
  }

  app.get<{ Params: { file: string }; Querystring: { extensions?: string } }>(
    '/open311/v2/requests/:file',
    { schema: { tags: ['open311'] } },
    async (request, reply) => {
      const parts = splitFormat(request.params.file);
      const format = parts?.[1] ?? 'json';
      const id = Number(parts?.[0]);
      const ticket = Number.isInteger(id) && id > 0 ? await findTicketById(app.db, id) : null;
      if (!ticket) return fail(reply, format, open311Errors(404, `service request ${parts?.[0] ?? request.params.file} not found`));
      const replies = await listTicketReplies(app.db, [ticket.id]);
      const view = requestView(ticket, request.query.extensions === 'true', replies.at(-1)?.text ?? null);
      return send(reply, format, 200, 'service_requests', 'request', [view]);
    },
  );

  // Services here have no extra attributes (metadata false), but a client may still ask for the definition.
  app.get<{ Params: { file: string } }>('/open311/v2/services/:file', { schema: { tags: ['open311'] } }, async (request, reply) => {
    const parts = splitFormat(request.params.file);
    const format = parts?.[1] ?? 'json';
    const category = parts ? await findTicketCategory(app.db, parts[0]) : null;
    if (!category || !category.active || !category.public) {
      return fail(reply, format, open311Errors(404, `service_code ${parts?.[0] ?? request.params.file} not found`));
    }
    const definition = { service_code: category.code, attributes: [] };
    if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXmlDocument('service_definition', definition));
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(definition));
  });

  app.post<{ Params: { file: string } }>('/open311/v2/:file', { schema: { tags: ['open311'] } }, async (request, reply) => {
    const parts = splitFormat(request.params.file);
    const format = parts?.[1] ?? 'json';
    if (!parts || parts[0] !== 'requests') return fail(reply, format, open311Errors(404, `cannot POST ${request.params.file}`));
    const form = (request.body ?? {}) as Record<string, unknown>;
    const key = typeof form.api_key === 'string' ? form.api_key : null;
    const app311 = key && (app.ticketSettings.open311ApiKeys.includes(key) ? 'configured key' : await findOpen311Key(app.db, key));
    if (!app311) return fail(reply, format, open311Errors(403, 'api_key is missing or not valid'));
    const parsed = parseNewRequest(form);
    if (Array.isArray(parsed)) return fail(reply, format, parsed);
    if (parsed.lat === null || parsed.lon === null) {
      return fail(reply, format, open311Errors(400, 'lat and long are required: this server does not geocode addresses'));
    }
    const category = await findTicketCategory(app.db, parsed.serviceCode);
    if (!category || !category.active || !category.public) {
      return fail(reply, format, open311Errors(400, `service_code ${parsed.serviceCode} is not a service of this server`));
    }
    const { ticket } = await registerTicket(
      app,
      {
        category: category.id,
        channel: 'open311',
        description: parsed.description || category.name,
        lat: parsed.lat,
        lon: parsed.lon,
        address: parsed.addressString,
        reporterName: parsed.name,
        reporterPhone: parsed.phone,
        reporterEmail: parsed.email,
        externalRef: parsed.accountId ?? parsed.deviceId,
      },
      systemActor(`open311:${app311}`),
    );
    const created = { service_request_id: String(ticket.id), service_notice: `Ticket number ${ticket.number}`, account_id: parsed.accountId ?? '' };
    return send(reply, format, 201, 'service_requests', 'request', [created]);
  });
};

export default open311;
