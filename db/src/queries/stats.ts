import type { SqlClient, SqlExecutor } from '../sql-client.ts';

/**
 * Statistics over tickets, follow-ups, dispatch orders and the vehicles' daily aggregate. Every query takes
 * the same window: tickets registered in [from, to) within a set of units, judged as they stood at `asOf`
 * (the end of the period, or now if the period has not ended). Merged duplicates are left out: their
 * citizens are counted in the ticket they were merged into.
 */
export interface StatsWindow {
  fromMs: number;
  toMs: number;
  /** Closures after this instant do not count: min(to, now) reproduces the figures of a past period. */
  asOfMs: number;
  /** The units whose tickets count, or null for all (tickets not yet given to a unit included). */
  unitIds: readonly number[] | null;
}

/** The counts behind every rate; `reworked` are tickets reopened as rework at least once. */
export interface TicketCounts {
  total: number;
  due: number;
  closed: number;
  closedOnTime: number;
  overdueOpen: number;
  reworked: number;
}

export const TICKET_GROUPINGS = ['category', 'channel', 'unit', 'district', 'squad', 'priority', 'day', 'week', 'month'] as const;
export type TicketGrouping = (typeof TICKET_GROUPINGS)[number];

export interface TicketGroupCounts extends TicketCounts {
  /** Category code, channel, unit id, priority, or the local date starting the day, week or month. */
  key: string | null;
  label: string | null;
}

// $1 from, $2 to, $3 asOf, $4 unit ids. A closed ticket's deadline is the one it had when closed (0300).
const BASE = `SELECT t.*,
    t.status = 'closed' AND t.closed_at <= $3::timestamptz AS is_closed,
    COALESCE(t.due_at, t.closed_due_at) AS deadline
  FROM tickets t
  WHERE t.registered_at >= $1::timestamptz AND t.registered_at < $2::timestamptz AND t.status <> 'merged'
    AND ($4::integer[] IS NULL OR t.unit_id = ANY ($4::integer[]))`;

/** Flags over BASE rows, shared with the evaluation so that both count by the same rules. */
export const MEASURE_FLAGS = {
  due: `(b.is_closed OR b.deadline < $3::timestamptz)`,
  closed: `b.is_closed`,
  closedOnTime: `(b.is_closed AND (b.closed_due_at IS NULL OR b.closed_at <= b.closed_due_at))`,
  overdueOpen: `(NOT b.is_closed AND b.deadline < $3::timestamptz)`,
  reworked: `b.rework_count > 0`,
} as const;
export type TicketMeasure = keyof typeof MEASURE_FLAGS;
export const TICKET_MEASURES = Object.keys(MEASURE_FLAGS) as TicketMeasure[];

export const MEASURE_COLUMNS = `count(*)::integer AS total,
  ${Object.entries(MEASURE_FLAGS).map(([name, flag]) => `count(*) FILTER (WHERE ${flag})::integer AS "${name}"`).join(',\n  ')}`;

function windowParams(w: StatsWindow): unknown[] {
  return [new Date(w.fromMs), new Date(w.toMs), new Date(w.asOfMs), w.unitIds];
}

// Each unit's nearest ancestor (itself included) of a kind: the district or squad a ticket's unit belongs to.
const ANCESTOR_OF_KIND = `WITH RECURSIVE up(id, ancestor_id) AS (
    SELECT id, id FROM units
    UNION ALL
    SELECT up.id, u.parent_id FROM up JOIN units u ON u.id = up.ancestor_id WHERE u.parent_id IS NOT NULL
  ), grouped AS (
    SELECT DISTINCT ON (up.id) up.id AS unit_id, a.id AS group_id, a.name AS group_name
    FROM up JOIN units a ON a.id = up.ancestor_id WHERE a.kind = $5::text
    ORDER BY up.id, a.id
  )`;

interface Grouping {
  key: string;
  label: string;
  join?: string;
  /** Time groupings order by key; the rest by volume. */
  chronological?: boolean;
}

function timeKey(unit: 'day' | 'week' | 'month'): Grouping {
  const key = `to_char(date_trunc('${unit}', b.registered_at AT TIME ZONE $5::text), 'YYYY-MM-DD')`;
  return { key, label: key, chronological: true };
}

const GROUPINGS: Record<TicketGrouping, Grouping> = {
  category: { key: 'c.code', label: 'c.name', join: 'JOIN ticket_categories c ON c.id = b.category_id' },
  channel: { key: 'b.channel', label: 'b.channel' },
  unit: { key: 'b.unit_id::text', label: 'u.name', join: 'LEFT JOIN units u ON u.id = b.unit_id' },
  district: { key: 'g.group_id::text', label: 'g.group_name', join: 'LEFT JOIN grouped g ON g.unit_id = b.unit_id' },
  squad: { key: 'g.group_id::text', label: 'g.group_name', join: 'LEFT JOIN grouped g ON g.unit_id = b.unit_id' },
  priority: { key: 'b.priority', label: 'b.priority' },
  day: timeKey('day'),
  week: timeKey('week'),
  month: timeKey('month'),
};

/** Ticket counts per group; the groups partition the window, so their sums are the totals. */
export async function ticketCountsBy(
  db: SqlExecutor,
  w: StatsWindow,
  grouping: TicketGrouping,
  timeZone: string,
): Promise<TicketGroupCounts[]> {
  const g = GROUPINGS[grouping];
  const byKind = grouping === 'district' || grouping === 'squad';
  const params = windowParams(w);
  if (byKind) params.push(grouping);
  else if (g.chronological) params.push(timeZone);
  const result = await db.query<TicketGroupCounts>(
    `${byKind ? ANCESTOR_OF_KIND : ''}
     SELECT ${g.key} AS key, min(${g.label}) AS label, ${MEASURE_COLUMNS}
     FROM (${BASE}) b ${g.join ?? ''}
     GROUP BY 1
     ORDER BY ${g.chronological ? '1' : 'total DESC, 1'}`,
    params,
  );
  return result.rows;
}

// A year's durations sorted for percentiles, or a city's grid cells hashed, overflow the default 4 MB of
// work_mem and spill to disk; the setting is raised for that one statement only.
const SORT_WORK_MEM = '64MB';

async function withSortMemory<T>(db: SqlClient, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL work_mem = '${SORT_WORK_MEM}'`);
    return work(tx);
  });
}

/** The steps of a case whose durations are measured, each from the step before it. */
export const TICKET_STAGES = {
  accept: 'b.accepted_at - b.cycle_started_at',
  dispatch: 'b.dispatched_at - COALESCE(b.accepted_at, b.cycle_started_at)',
  arrive: 'b.arrived_at - b.dispatched_at',
  handle: 'b.handled_at - COALESCE(b.arrived_at, b.dispatched_at, b.accepted_at, b.cycle_started_at)',
  verify: 'b.verified_at - b.handled_at',
  close: 'b.closed_at - COALESCE(b.verified_at, b.handled_at, b.cycle_started_at)',
  // Spans: from the start of the cycle to the vehicle on the scene, and to the closure.
  response: 'b.arrived_at - b.cycle_started_at',
  handling: 'b.closed_at - b.cycle_started_at',
} as const;
export type TicketStage = keyof typeof TICKET_STAGES;

export interface DurationSummary {
  count: number;
  meanS: number | null;
  medianS: number | null;
  p90S: number | null;
}

function durationColumns(name: string, interval: string): string {
  // date_part yields float8; extract(epoch …) yields numeric, twice as slow over a year of tickets.
  const seconds = `date_part('epoch', ${interval})`;
  return `count(${seconds})::integer AS "${name}_n", avg(${seconds}) AS "${name}_mean",
    percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${seconds}) AS "${name}_pct"`;
}

function durationOf(row: Record<string, unknown>, name: string): DurationSummary {
  const pct = row[`${name}_pct`] as number[] | null;
  return { count: row[`${name}_n`] as number, meanS: (row[`${name}_mean`] as number | null) ?? null, medianS: pct?.[0] ?? null, p90S: pct?.[1] ?? null };
}

// Each percentile is a sort no worker can share; the stages are split over statements that run on separate
// connections at once, so that every core sorts.
const DURATION_STATEMENTS = 2;

/** Mean, median and 90th percentile of every stage, over the window's tickets that reached it. */
export async function ticketStageDurations(db: SqlClient, w: StatsWindow): Promise<Record<TicketStage, DurationSummary>> {
  const stages = Object.entries(TICKET_STAGES) as [TicketStage, string][];
  const size = Math.ceil(stages.length / DURATION_STATEMENTS);
  const parts = Array.from({ length: DURATION_STATEMENTS }, (_, i) => stages.slice(i * size, (i + 1) * size));
  const rows = await Promise.all(
    parts.map((part) =>
      withSortMemory(db, (tx) =>
        tx.query(`SELECT ${part.map(([name, interval]) => durationColumns(name, interval)).join(',\n')} FROM (${BASE}) b`, windowParams(w)),
      ),
    ),
  );
  const row = Object.assign({}, ...rows.map((r) => r.rows[0]!)) as Record<string, unknown>;
  return Object.fromEntries(stages.map(([name]) => [name, durationOf(row, name)])) as Record<TicketStage, DurationSummary>;
}

export interface DispatchAckSummary extends DurationSummary {
  /** Dispatches sent to a vehicle terminal, and how many of those the terminal acknowledged. */
  terminalOrders: number;
  acknowledged: number;
}

/** How fast vehicle terminals acknowledged the dispatch orders of the window's tickets. */
export async function dispatchAckDurations(db: SqlClient, w: StatsWindow): Promise<DispatchAckSummary> {
  const result = await withSortMemory(db, (tx) => tx.query(
    `SELECT count(*)::integer AS orders, count(cm.acked_at)::integer AS acknowledged,
       ${durationColumns('ack', 'cm.acked_at - COALESCE(cm.sent_at, cm.created_at)')}
     FROM (${BASE}) b JOIN commands cm ON cm.id = b.dispatch_command_id`,
    windowParams(w),
  ));
  const row = result.rows[0]!;
  return { terminalOrders: row.orders as number, acknowledged: row.acknowledged as number, ...durationOf(row, 'ack') };
}

export interface StaffWorkload {
  userId: number;
  username: string;
  name: string;
  role: string;
  unitId: number | null;
  registered: number;
  accepted: number;
  dispatched: number;
  handled: number;
  closed: number;
  followups: number;
}

/**
 * What each member of staff did within [from, to): tickets registered, workflow steps taken (by the
 * timeline), follow-up visits made. Scoped by the staff member's own unit, not the tickets'.
 */
export async function staffWorkload(db: SqlExecutor, w: StatsWindow): Promise<StaffWorkload[]> {
  const result = await db.query<StaffWorkload>(
    `WITH steps AS (
       SELECT user_id,
         count(*) FILTER (WHERE kind = 'registered')::integer AS registered,
         count(*) FILTER (WHERE to_status = 'accepted')::integer AS accepted,
         count(*) FILTER (WHERE to_status = 'dispatched')::integer AS dispatched,
         count(*) FILTER (WHERE to_status = 'handled')::integer AS handled,
         count(*) FILTER (WHERE to_status = 'closed')::integer AS closed
       FROM ticket_events
       WHERE at >= $1::timestamptz AND at < $2::timestamptz AND user_id IS NOT NULL
       GROUP BY user_id
     ), visits AS (
       SELECT done_by AS user_id, count(*)::integer AS followups
       FROM followups
       WHERE status = 'done' AND done_at >= $1::timestamptz AND done_at < $2::timestamptz AND done_by IS NOT NULL
       GROUP BY done_by
     )
     SELECT u.id AS "userId", u.username, u.name, u.role, u.unit_id AS "unitId",
       COALESCE(s.registered, 0) AS registered, COALESCE(s.accepted, 0) AS accepted,
       COALESCE(s.dispatched, 0) AS dispatched, COALESCE(s.handled, 0) AS handled, COALESCE(s.closed, 0) AS closed,
       COALESCE(v.followups, 0) AS followups
     FROM users u
     LEFT JOIN steps s ON s.user_id = u.id
     LEFT JOIN visits v ON v.user_id = u.id
     WHERE (s.user_id IS NOT NULL OR v.user_id IS NOT NULL)
       AND ($3::integer[] IS NULL OR u.unit_id = ANY ($3::integer[]))
     ORDER BY COALESCE(s.registered, 0) + COALESCE(s.dispatched, 0) + COALESCE(s.handled, 0) + COALESCE(v.followups, 0) DESC, u.username`,
    [new Date(w.fromMs), new Date(w.toMs), w.unitIds],
  );
  return result.rows;
}

export interface SatisfactionCounts {
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  unreachable: number;
}

/** Results of the follow-up visits made within [from, to) to tickets of the units. */
export async function followupSatisfaction(db: SqlExecutor, w: StatsWindow): Promise<SatisfactionCounts> {
  const result = await db.query<SatisfactionCounts>(
    `SELECT count(*) FILTER (WHERE f.result = 'satisfied')::integer AS satisfied,
       count(*) FILTER (WHERE f.result = 'basically_satisfied')::integer AS "basicallySatisfied",
       count(*) FILTER (WHERE f.result = 'dissatisfied')::integer AS dissatisfied,
       count(*) FILTER (WHERE f.result = 'unreachable')::integer AS unreachable
     FROM followups f JOIN tickets t ON t.id = f.ticket_id
     WHERE f.status = 'done' AND f.done_at >= $1::timestamptz AND f.done_at < $2::timestamptz
       AND ($3::integer[] IS NULL OR t.unit_id = ANY ($3::integer[]))`,
    [new Date(w.fromMs), new Date(w.toMs), w.unitIds],
  );
  return result.rows[0]!;
}

export interface VehicleDay {
  /** UTC date, as the daily aggregate buckets. */
  day: string;
  vehicles: number;
  distanceM: number;
  movingS: number;
  /** Time reporting with the ignition on (see motionSince). */
  onDutyS: number;
  fixes: number;
}

export interface VehicleTotals {
  deviceId: number;
  name: string;
  plate: string | null;
  unitId: number | null;
  days: number;
  distanceM: number;
  movingS: number;
  /** Time reporting with the ignition on (see motionSince). */
  onDutyS: number;
  fixes: number;
}

const DAY_MS = 86_400_000;

// The aggregate holds UTC days: a period starting at local midnight includes the UTC day it starts in.
function vehicleParams(w: StatsWindow): unknown[] {
  return [new Date(Math.floor(w.fromMs / DAY_MS) * DAY_MS), new Date(w.toMs), w.unitIds];
}

// $1 from, $2 to (UTC day bounds), $3 unit ids.
const VEHICLE_DAYS = `FROM device_daily_stats s JOIN devices d ON d.id = s.device_id
  WHERE s.day >= $1::timestamptz AND s.day < $2::timestamptz
    AND ($3::integer[] IS NULL OR d.unit_id = ANY ($3::integer[]))`;

/** Fleet mileage, time moving and time on duty per UTC day, from the daily aggregate (never the raw positions). */
export async function vehicleDays(db: SqlExecutor, w: StatsWindow): Promise<VehicleDay[]> {
  const result = await db.query<VehicleDay>(
    `SELECT to_char(s.day AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::integer AS vehicles,
       sum(s.distance_m)::float8 AS "distanceM", sum(s.moving_s)::float8 AS "movingS",
       sum(s.on_duty_s)::float8 AS "onDutyS", sum(s.fixes)::float8 AS fixes
     ${VEHICLE_DAYS} GROUP BY 1 ORDER BY 1`,
    vehicleParams(w),
  );
  return result.rows;
}

/** Each vehicle's totals over the window, and on how many days it reported. */
export async function vehicleTotals(db: SqlExecutor, w: StatsWindow): Promise<VehicleTotals[]> {
  const result = await db.query<VehicleTotals>(
    `SELECT d.id AS "deviceId", d.name, d.plate, d.unit_id AS "unitId", count(*)::integer AS days,
       sum(s.distance_m)::float8 AS "distanceM", sum(s.moving_s)::float8 AS "movingS",
       sum(s.on_duty_s)::float8 AS "onDutyS", sum(s.fixes)::float8 AS fixes
     ${VEHICLE_DAYS} GROUP BY d.id ORDER BY "distanceM" DESC, d.id`,
    vehicleParams(w),
  );
  return result.rows;
}

export interface HotspotCell {
  /** The cell's south-west corner and size in degrees; its centre is corner + size / 2. */
  lat: number;
  lon: number;
  count: number;
  categoryCode: string | null;
  categoryName: string | null;
}

/**
 * Ticket counts on a square grid of `cellDeg` degrees: per cell (the heat map, category null) or per cell and
 * category (where the same problem recurs), keeping cells with at least `minCount` tickets, busiest first.
 */
export async function ticketHotspots(
  db: SqlClient,
  w: StatsWindow,
  options: { cellDeg: number; minCount: number; limit: number; byCategory: boolean },
): Promise<HotspotCell[]> {
  const category = options.byCategory;
  const result = await withSortMemory(db, (tx) => tx.query<HotspotCell>(
    `SELECT floor(b.lat / $5::float8) * $5::float8 AS lat, floor(b.lon / $5::float8) * $5::float8 AS lon,
       count(*)::integer AS count,
       ${category ? 'c.code' : 'NULL::text'} AS "categoryCode", ${category ? 'min(c.name)' : 'NULL::text'} AS "categoryName"
     FROM (${BASE}) b ${category ? 'JOIN ticket_categories c ON c.id = b.category_id' : ''}
     WHERE b.lat IS NOT NULL
     GROUP BY floor(b.lat / $5::float8), floor(b.lon / $5::float8)${category ? ', c.code' : ''}
     HAVING count(*) >= $6::integer
     ORDER BY count DESC, 1, 2
     LIMIT $7::integer`,
    [...windowParams(w), options.cellDeg, options.minCount, options.limit],
  ));
  return result.rows;
}

/** The tickets behind one count, so that every figure can be traced: ids and numbers, oldest first. */
export async function listMeasureTickets(
  db: SqlExecutor,
  w: StatsWindow,
  measure: TicketMeasure | 'total',
  limit: number,
): Promise<Array<{ id: number; number: string; status: string; registeredAt: Date; closedAt: Date | null; deadline: Date | null }>> {
  const result = await db.query<{ id: number; number: string; status: string; registeredAt: Date; closedAt: Date | null; deadline: Date | null }>(
    `SELECT b.id, b.number, b.status, b.registered_at AS "registeredAt", b.closed_at AS "closedAt", b.deadline
     FROM (${BASE}) b
     WHERE ${measure === 'total' ? 'true' : MEASURE_FLAGS[measure]}
     ORDER BY b.registered_at, b.id
     LIMIT $5::integer`,
    [...windowParams(w), limit],
  );
  return result.rows;
}

/**
 * Refreshes the planner's statistics of the tables the statistics read, after a bulk load (an import, a
 * restore) that autovacuum has not caught up with; without it a year's query may get a plan made for an
 * empty table.
 */
export async function analyzeStatsTables(db: SqlExecutor): Promise<void> {
  await db.exec('ANALYZE tickets, ticket_events, followups, commands, units, users, devices, device_daily_stats');
}
