import type { SqlExecutor } from '../sql-client.ts';
import { SUBTREE_CTE } from './units.ts';

export type TicketStatus =
  | 'registered' | 'accepted' | 'dispatched' | 'arrived' | 'handled' | 'verified' | 'closed' | 'returned' | 'reopened' | 'merged';
export type TicketChannel = 'phone' | 'sms' | 'web' | 'email' | 'fax' | 'open311' | 'patrol' | 'video';
export type TicketPriority = 'normal' | 'urgent' | 'major';
export type DispatchMethod = 'none' | 'phone' | 'email' | 'terminal';

export interface TicketRecord {
  id: number;
  number: string;
  channel: TicketChannel;
  categoryId: number;
  categoryCode: string;
  categoryName: string;
  priority: TicketPriority;
  description: string;
  /** Null until an agent places a ticket that came by SMS or e-mail. */
  lat: number | null;
  lon: number | null;
  address: string | null;
  reporterName: string | null;
  reporterPhone: string | null;
  reporterEmail: string | null;
  status: TicketStatus;
  unitId: number | null;
  unitName: string | null;
  deviceId: number | null;
  dispatchMethod: DispatchMethod | null;
  dispatchCommandId: number | null;
  /** The terminal order's status (`queued` … `acknowledged`) and when the terminal acknowledged it. */
  dispatchCommandStatus: string | null;
  dispatchAckedAt: Date | null;
  mergedIntoId: number | null;
  result: string | null;
  registeredBy: number | null;
  externalRef: string | null;
  registeredAt: Date;
  cycle: number;
  cycleStartedAt: Date;
  acceptedAt: Date | null;
  dispatchedAt: Date | null;
  arrivedAt: Date | null;
  handledAt: Date | null;
  verifiedAt: Date | null;
  closedAt: Date | null;
  stage: string | null;
  stageDueAt: Date | null;
  dueAt: Date | null;
  reworkCount: number;
  updatedAt: Date;
}

export interface TicketDeadlines {
  stage: string | null;
  stageDueAtMs: number | null;
  dueAtMs: number | null;
}

export interface NewTicket {
  number: string;
  channel: TicketChannel;
  categoryId: number;
  priority: TicketPriority;
  description: string;
  lat: number | null;
  lon: number | null;
  address?: string | null;
  reporterName?: string | null;
  reporterPhone?: string | null;
  reporterEmail?: string | null;
  registeredBy?: number | null;
  externalRef?: string | null;
  registeredAtMs: number;
  deadlines: TicketDeadlines;
}

const SELECT = `SELECT t.id, t.number, t.channel, t.category_id AS "categoryId", c.code AS "categoryCode",
  c.name AS "categoryName", t.priority, t.description, t.lat, t.lon, t.address, t.reporter_name AS "reporterName",
  t.reporter_phone AS "reporterPhone", t.reporter_email AS "reporterEmail", t.status, t.unit_id AS "unitId",
  u.name AS "unitName", t.device_id AS "deviceId", t.dispatch_method AS "dispatchMethod",
  t.dispatch_command_id AS "dispatchCommandId", cm.status AS "dispatchCommandStatus", cm.acked_at AS "dispatchAckedAt",
  t.merged_into_id AS "mergedIntoId", t.result, t.registered_by AS "registeredBy", t.external_ref AS "externalRef",
  t.registered_at AS "registeredAt", t.cycle, t.cycle_started_at AS "cycleStartedAt", t.accepted_at AS "acceptedAt",
  t.dispatched_at AS "dispatchedAt", t.arrived_at AS "arrivedAt", t.handled_at AS "handledAt",
  t.verified_at AS "verifiedAt", t.closed_at AS "closedAt", t.stage, t.stage_due_at AS "stageDueAt",
  t.due_at AS "dueAt", t.rework_count AS "reworkCount", t.updated_at AS "updatedAt"
  FROM tickets t
  JOIN ticket_categories c ON c.id = t.category_id
  LEFT JOIN units u ON u.id = t.unit_id
  LEFT JOIN commands cm ON cm.id = t.dispatch_command_id`;

function at(ms: number | null | undefined): Date | null {
  return ms == null ? null : new Date(ms);
}

/** The next number of `day`'s sequence; one row per day, so concurrent registrations never share one. */
export async function nextTicketSequence(db: SqlExecutor, day: string): Promise<number> {
  const result = await db.query<{ last: number }>(
    `INSERT INTO ticket_number_sequences (day, last) VALUES ($1::date, 1)
     ON CONFLICT (day) DO UPDATE SET last = ticket_number_sequences.last + 1
     RETURNING last`,
    [day],
  );
  return result.rows[0]!.last;
}

export async function insertTicket(db: SqlExecutor, ticket: NewTicket): Promise<number> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO tickets (number, channel, category_id, priority, description, lat, lon, address, reporter_name,
       reporter_phone, reporter_email, registered_by, external_ref, registered_at, cycle_started_at, updated_at,
       stage, stage_due_at, due_at)
     VALUES ($1::text, $2::text, $3::integer, $4::text, $5::text, $6::float8, $7::float8, $8::text, $9::text,
       $10::text, $11::text, $12::integer, $13::text, $14::timestamptz, $14::timestamptz, $14::timestamptz,
       $15::text, $16::timestamptz, $17::timestamptz)
     RETURNING id`,
    [
      ticket.number, ticket.channel, ticket.categoryId, ticket.priority, ticket.description, ticket.lat, ticket.lon,
      ticket.address ?? null, ticket.reporterName ?? null, ticket.reporterPhone ?? null, ticket.reporterEmail ?? null,
      ticket.registeredBy ?? null, ticket.externalRef ?? null, new Date(ticket.registeredAtMs),
      ticket.deadlines.stage, at(ticket.deadlines.stageDueAtMs), at(ticket.deadlines.dueAtMs),
    ],
  );
  return result.rows[0]!.id;
}

export async function findTicketById(db: SqlExecutor, id: number): Promise<TicketRecord | null> {
  const result = await db.query<TicketRecord>(`${SELECT} WHERE t.id = $1::integer`, [id]);
  return result.rows[0] ?? null;
}

export async function findTicketByNumber(db: SqlExecutor, number: string): Promise<TicketRecord | null> {
  const result = await db.query<TicketRecord>(`${SELECT} WHERE t.number = $1::text`, [number]);
  return result.rows[0] ?? null;
}

export interface TicketFilter {
  /** Only tickets dispatched to this unit or below it (null: every ticket). */
  withinUnit?: number | null;
  /** With `withinUnit`: also tickets not dispatched to any unit yet (the call centre's and dispatchers' view). */
  includeUnassigned?: boolean;
  statuses?: readonly string[] | null;
  categoryIds?: readonly number[] | null;
  ids?: readonly number[] | null;
  channel?: string | null;
  reporterPhone?: string | null;
  registeredFromMs?: number | null;
  registeredToMs?: number | null;
  /** Only open tickets past their stage or closing deadline at this instant. */
  overdueAtMs?: number | null;
  limit?: number;
  offset?: number;
}

/** Tickets matching every given condition, newest first. */
export async function listTickets(db: SqlExecutor, filter: TicketFilter = {}): Promise<TicketRecord[]> {
  const result = await db.query<TicketRecord>(
    `${filter.withinUnit == null ? '' : SUBTREE_CTE}
     ${SELECT}
     WHERE ($2::text[] IS NULL OR t.status = ANY($2::text[]))
       AND ($3::integer[] IS NULL OR t.category_id = ANY($3::integer[]))
       AND ($4::integer[] IS NULL OR t.id = ANY($4::integer[]))
       AND ($5::text IS NULL OR t.channel = $5::text)
       AND ($6::text IS NULL OR t.reporter_phone = $6::text)
       AND ($7::timestamptz IS NULL OR t.registered_at >= $7::timestamptz)
       AND ($8::timestamptz IS NULL OR t.registered_at < $8::timestamptz)
       AND ($9::timestamptz IS NULL OR (t.status NOT IN ('closed', 'merged')
            AND (t.stage_due_at < $9::timestamptz OR t.due_at < $9::timestamptz)))
       AND (${filter.withinUnit == null ? '$1::integer IS NULL' : 't.unit_id IN (SELECT id FROM subtree)'}
            OR ($12::boolean AND t.unit_id IS NULL))
     ORDER BY t.id DESC
     LIMIT $10::integer OFFSET $11::integer`,
    [
      filter.withinUnit ?? null,
      filter.statuses ?? null,
      filter.categoryIds ?? null,
      filter.ids ?? null,
      filter.channel ?? null,
      filter.reporterPhone ?? null,
      at(filter.registeredFromMs),
      at(filter.registeredToMs),
      at(filter.overdueAtMs),
      filter.limit ?? 100,
      filter.offset ?? 0,
      filter.includeUnassigned ?? false,
    ],
  );
  return result.rows;
}

/** What one workflow step changes; only the status, its timestamp and the deadlines are always written. */
export interface TicketChange {
  status: TicketStatus;
  atMs: number;
  deadlines: TicketDeadlines;
  dispatch?: { unitId: number | null; deviceId: number | null; method: DispatchMethod; commandId: number | null };
  result?: string | null;
  mergedIntoId?: number;
  /**
   * When the vehicle really arrived (its first fix on the scene), if not `atMs`; never before the dispatch,
   * since a vehicle already parked there when dispatched arrives with the order.
   */
  arrivedAtMs?: number;
  /** A reopening: a new cycle starts, earlier stage times are cleared, and `rework` counts it as rework. */
  reopen?: { rework: boolean };
}

/**
 * Applies a step if the ticket is still in `expectedStatus`: the workflow's optimistic lock, so that two
 * dispatchers (or two API processes detecting the same arrival) cannot both move it. False when it was not.
 */
export async function changeTicket(
  db: SqlExecutor,
  id: number,
  expectedStatus: TicketStatus,
  change: TicketChange,
): Promise<boolean> {
  const reopen = change.reopen !== undefined;
  const result = await db.query(
    `UPDATE tickets SET
       status = $3::text,
       updated_at = $4::timestamptz,
       stage = $5::text, stage_due_at = $6::timestamptz, due_at = $7::timestamptz,
       cycle = cycle + CASE WHEN $8::boolean THEN 1 ELSE 0 END,
       cycle_started_at = CASE WHEN $8::boolean THEN $4::timestamptz ELSE cycle_started_at END,
       rework_count = rework_count + CASE WHEN $9::boolean THEN 1 ELSE 0 END,
       accepted_at = CASE WHEN $3::text = 'accepted' THEN $4::timestamptz WHEN $8::boolean THEN NULL ELSE accepted_at END,
       dispatched_at = CASE WHEN $3::text = 'dispatched' THEN $4::timestamptz WHEN $8::boolean THEN NULL ELSE dispatched_at END,
       arrived_at = CASE WHEN $3::text = 'arrived' THEN GREATEST(COALESCE($18::timestamptz, $4::timestamptz), dispatched_at)
                         WHEN $8::boolean THEN NULL ELSE arrived_at END,
       handled_at = CASE WHEN $3::text = 'handled' THEN $4::timestamptz WHEN $8::boolean THEN NULL ELSE handled_at END,
       verified_at = CASE WHEN $3::text = 'verified' THEN $4::timestamptz WHEN $8::boolean THEN NULL ELSE verified_at END,
       closed_at = CASE WHEN $3::text = 'closed' THEN $4::timestamptz WHEN $8::boolean THEN NULL ELSE closed_at END,
       unit_id = CASE WHEN $10::boolean THEN $11::integer ELSE unit_id END,
       device_id = CASE WHEN $10::boolean THEN $12::integer ELSE device_id END,
       dispatch_method = CASE WHEN $10::boolean THEN $13::text ELSE dispatch_method END,
       dispatch_command_id = CASE WHEN $10::boolean THEN $14::bigint ELSE dispatch_command_id END,
       result = CASE WHEN $15::boolean THEN $16::text ELSE result END,
       merged_into_id = COALESCE($17::integer, merged_into_id)
     WHERE id = $1::integer AND status = $2::text`,
    [
      id, expectedStatus, change.status, new Date(change.atMs),
      change.deadlines.stage, at(change.deadlines.stageDueAtMs), at(change.deadlines.dueAtMs),
      reopen, change.reopen?.rework ?? false,
      change.dispatch !== undefined, change.dispatch?.unitId ?? null, change.dispatch?.deviceId ?? null,
      change.dispatch?.method ?? null, change.dispatch?.commandId ?? null,
      'result' in change, change.result ?? null,
      change.mergedIntoId ?? null,
      at(change.arrivedAtMs),
    ],
  );
  return result.rowCount > 0;
}

/** Links the terminal order to the ticket once the command exists (it is inserted after the step). */
export async function setTicketDispatchCommand(db: SqlExecutor, id: number, commandId: number): Promise<void> {
  await db.query('UPDATE tickets SET dispatch_command_id = $2::bigint WHERE id = $1::integer', [id, commandId]);
}

/** Open tickets of one category inside a box and registered since `sinceMs`: duplicate candidates. */
export async function listDuplicateCandidates(
  db: SqlExecutor,
  query: { categoryId: number; minLat: number; maxLat: number; minLon: number; maxLon: number; sinceMs: number; excludeId?: number | null },
): Promise<{ id: number; number: string; categoryId: number; lat: number; lon: number; registeredAtMs: number }[]> {
  const result = await db.query<{ id: number; number: string; categoryId: number; lat: number; lon: number; registeredAtMs: number }>(
    `SELECT id, number, category_id AS "categoryId", lat, lon,
       (extract(epoch FROM registered_at) * 1000)::float8 AS "registeredAtMs"
     FROM tickets
     WHERE category_id = $1::integer AND status NOT IN ('closed', 'merged')
       AND lat BETWEEN $2::float8 AND $3::float8 AND lon BETWEEN $4::float8 AND $5::float8
       AND registered_at >= $6::timestamptz AND id <> COALESCE($7::integer, -1)
     ORDER BY id DESC LIMIT 50`,
    [query.categoryId, query.minLat, query.maxLat, query.minLon, query.maxLon, new Date(query.sinceMs), query.excludeId ?? null],
  );
  return result.rows;
}

/** Tickets on their way to the scene with a vehicle: what the arrival detector watches. */
export async function listEnRouteTickets(
  db: SqlExecutor,
): Promise<{ id: number; deviceId: number; lat: number; lon: number; cycle: number }[]> {
  const result = await db.query<{ id: number; deviceId: number; lat: number; lon: number; cycle: number }>(
    `SELECT id, device_id AS "deviceId", lat, lon, cycle FROM tickets
     WHERE status = 'dispatched' AND device_id IS NOT NULL AND lat IS NOT NULL`,
  );
  return result.rows;
}

export interface TicketEvent {
  id: number;
  ticketId: number;
  at: Date;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  userId: number | null;
  actor: string;
  note: string | null;
  details: Record<string, unknown>;
}

export type NewTicketEvent = Omit<TicketEvent, 'id' | 'at' | 'fromStatus' | 'toStatus' | 'userId' | 'note' | 'details'> & {
  atMs: number;
  fromStatus?: string | null;
  toStatus?: string | null;
  userId?: number | null;
  note?: string | null;
  details?: Record<string, unknown>;
};

const EVENT_COLUMNS = `id, ticket_id AS "ticketId", at, kind, from_status AS "fromStatus", to_status AS "toStatus",
  user_id AS "userId", actor, note, details`;

export async function insertTicketEvent(db: SqlExecutor, event: NewTicketEvent): Promise<TicketEvent> {
  const result = await db.query<TicketEvent>(
    `INSERT INTO ticket_events (ticket_id, at, kind, from_status, to_status, user_id, actor, note, details)
     VALUES ($1::integer, $2::timestamptz, $3::text, $4::text, $5::text, $6::integer, $7::text, $8::text, $9::jsonb)
     RETURNING ${EVENT_COLUMNS}`,
    [
      event.ticketId, new Date(event.atMs), event.kind, event.fromStatus ?? null, event.toStatus ?? null,
      event.userId ?? null, event.actor, event.note ?? null, JSON.stringify(event.details ?? {}),
    ],
  );
  return result.rows[0]!;
}

/** The ticket's timeline with those of every ticket merged into it (and into those), in time order. */
export async function listTicketTimeline(db: SqlExecutor, ticketId: number): Promise<TicketEvent[]> {
  const result = await db.query<TicketEvent>(
    `WITH RECURSIVE family(id) AS (
       SELECT $1::integer
       UNION
       SELECT t.id FROM tickets t JOIN family f ON t.merged_into_id = f.id
     )
     SELECT ${EVENT_COLUMNS} FROM ticket_events WHERE ticket_id IN (SELECT id FROM family) ORDER BY at, id`,
    [ticketId],
  );
  return result.rows;
}

export interface TicketReporter {
  id: number;
  ticketId: number;
  name: string | null;
  phone: string | null;
  email: string | null;
  channel: string;
  reportedAt: Date;
  sourceTicketId: number | null;
}

const REPORTER_COLUMNS = `id, ticket_id AS "ticketId", name, phone, email, channel, reported_at AS "reportedAt",
  source_ticket_id AS "sourceTicketId"`;

export async function insertTicketReporter(
  db: SqlExecutor,
  reporter: { ticketId: number; name?: string | null; phone?: string | null; email?: string | null; channel: string; atMs: number },
): Promise<void> {
  await db.query(
    `INSERT INTO ticket_reporters (ticket_id, name, phone, email, channel, reported_at)
     VALUES ($1::integer, $2::text, $3::text, $4::text, $5::text, $6::timestamptz)`,
    [reporter.ticketId, reporter.name ?? null, reporter.phone ?? null, reporter.email ?? null, reporter.channel, new Date(reporter.atMs)],
  );
}

export async function listTicketReporters(db: SqlExecutor, ticketId: number): Promise<TicketReporter[]> {
  const result = await db.query<TicketReporter>(
    `SELECT ${REPORTER_COLUMNS} FROM ticket_reporters WHERE ticket_id = $1::integer ORDER BY reported_at, id`,
    [ticketId],
  );
  return result.rows;
}

/** Copies the duplicate's reporters to the ticket it is merged into, remembering where they came from. */
export async function copyReportersOnMerge(db: SqlExecutor, fromTicketId: number, intoTicketId: number): Promise<number> {
  const result = await db.query(
    `INSERT INTO ticket_reporters (ticket_id, name, phone, email, channel, reported_at, source_ticket_id)
     SELECT $2::integer, name, phone, email, channel, reported_at, COALESCE(source_ticket_id, $1::integer)
     FROM ticket_reporters WHERE ticket_id = $1::integer`,
    [fromTicketId, intoTicketId],
  );
  return result.rowCount;
}

export interface TicketArrival {
  id: number;
  ticketId: number;
  cycle: number;
  deviceId: number | null;
  arrivedAt: Date;
  source: 'auto' | 'manual';
  evidence: unknown[];
  reportedBy: number | null;
  recordedAt: Date;
}

const ARRIVAL_COLUMNS = `id, ticket_id AS "ticketId", cycle, device_id AS "deviceId", arrived_at AS "arrivedAt", source,
  evidence, reported_by AS "reportedBy", recorded_at AS "recordedAt"`;

/** Records the arrival of the ticket's current cycle; null when one is already recorded (another process). */
export async function insertTicketArrival(
  db: SqlExecutor,
  arrival: { ticketId: number; cycle: number; deviceId: number | null; arrivedAtMs: number; source: 'auto' | 'manual'; evidence: unknown[]; reportedBy?: number | null },
): Promise<TicketArrival | null> {
  const result = await db.query<TicketArrival>(
    `INSERT INTO ticket_arrivals (ticket_id, cycle, device_id, arrived_at, source, evidence, reported_by)
     VALUES ($1::integer, $2::integer, $3::integer, $4::timestamptz, $5::text, $6::jsonb, $7::integer)
     ON CONFLICT (ticket_id, cycle) DO NOTHING
     RETURNING ${ARRIVAL_COLUMNS}`,
    [
      arrival.ticketId, arrival.cycle, arrival.deviceId, new Date(arrival.arrivedAtMs), arrival.source,
      JSON.stringify(arrival.evidence), arrival.reportedBy ?? null,
    ],
  );
  return result.rows[0] ?? null;
}

export async function listTicketArrivals(db: SqlExecutor, ticketId: number): Promise<TicketArrival[]> {
  const result = await db.query<TicketArrival>(
    `SELECT ${ARRIVAL_COLUMNS} FROM ticket_arrivals WHERE ticket_id = $1::integer ORDER BY cycle`,
    [ticketId],
  );
  return result.rows;
}

export type ReplyMethod = 'none' | 'phone' | 'email' | 'sms';

export interface TicketReply {
  id: number;
  ticketId: number;
  method: ReplyMethod;
  recipient: string | null;
  text: string;
  delivery: string;
  deliveryError: string | null;
  repliedBy: number | null;
  repliedAt: Date;
}

const REPLY_COLUMNS = `id, ticket_id AS "ticketId", method, recipient, text, delivery, delivery_error AS "deliveryError",
  replied_by AS "repliedBy", replied_at AS "repliedAt"`;

export async function insertTicketReply(
  db: SqlExecutor,
  reply: { ticketId: number; method: ReplyMethod; recipient: string | null; text: string; delivery: string; deliveryError?: string | null; repliedBy: number | null; atMs: number },
): Promise<TicketReply> {
  const result = await db.query<TicketReply>(
    `INSERT INTO ticket_replies (ticket_id, method, recipient, text, delivery, delivery_error, replied_by, replied_at)
     VALUES ($1::integer, $2::text, $3::text, $4::text, $5::text, $6::text, $7::integer, $8::timestamptz)
     RETURNING ${REPLY_COLUMNS}`,
    [reply.ticketId, reply.method, reply.recipient, reply.text, reply.delivery, reply.deliveryError ?? null, reply.repliedBy, new Date(reply.atMs)],
  );
  return result.rows[0]!;
}

export async function listTicketReplies(db: SqlExecutor, ticketIds: readonly number[]): Promise<TicketReply[]> {
  const result = await db.query<TicketReply>(
    `SELECT ${REPLY_COLUMNS} FROM ticket_replies WHERE ticket_id = ANY($1::integer[]) ORDER BY replied_at, id`,
    [ticketIds],
  );
  return result.rows;
}

export interface TicketDetails {
  categoryId?: number;
  priority?: TicketPriority;
  description?: string;
  lat?: number;
  lon?: number;
  address?: string | null;
  deadlines?: TicketDeadlines;
}

/** Corrects what intake got wrong or left out; a key that is absent keeps the stored value. */
export async function updateTicketDetails(db: SqlExecutor, id: number, details: TicketDetails, atMs: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE tickets SET
       category_id = COALESCE($2::integer, category_id),
       priority = COALESCE($3::text, priority),
       description = COALESCE($4::text, description),
       lat = COALESCE($5::float8, lat),
       lon = COALESCE($6::float8, lon),
       address = CASE WHEN $7::boolean THEN $8::text ELSE address END,
       stage = CASE WHEN $9::boolean THEN $10::text ELSE stage END,
       stage_due_at = CASE WHEN $9::boolean THEN $11::timestamptz ELSE stage_due_at END,
       due_at = CASE WHEN $9::boolean THEN $12::timestamptz ELSE due_at END,
       updated_at = $13::timestamptz
     WHERE id = $1::integer`,
    [
      id, details.categoryId ?? null, details.priority ?? null, details.description ?? null, details.lat ?? null,
      details.lon ?? null, 'address' in details, details.address ?? null, details.deadlines !== undefined,
      details.deadlines?.stage ?? null, at(details.deadlines?.stageDueAtMs), at(details.deadlines?.dueAtMs), new Date(atMs),
    ],
  );
  return result.rowCount > 0;
}

/**
 * Records a terminal order's progress on the ticket it dispatched, once (several API processes hear the
 * same event). Null when no ticket's current order is that command, or the step is recorded already.
 */
export async function recordOrderProgress(
  db: SqlExecutor,
  progress: { commandId: number; status: 'sent' | 'acknowledged' | 'failed'; text: string | null; atMs: number },
): Promise<number | null> {
  const result = await db.query<{ ticketId: number }>(
    `INSERT INTO ticket_events (ticket_id, at, kind, actor, note, details)
     SELECT id, $3::timestamptz, 'order_' || $2::text, 'terminal', $4::text, jsonb_build_object('commandId', $1::bigint::text)
     FROM tickets WHERE dispatch_command_id = $1::bigint
     ON CONFLICT DO NOTHING
     RETURNING ticket_id AS "ticketId"`,
    [progress.commandId, progress.status, new Date(progress.atMs), progress.text],
  );
  return result.rows[0]?.ticketId ?? null;
}
