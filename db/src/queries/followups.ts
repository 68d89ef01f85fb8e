import type { SqlExecutor } from '../sql-client.ts';

export interface FollowupRuleRecord {
  id: number;
  categoryId: number | null;
  channel: string | null;
  result: string | null;
  count: number;
  intervalHours: number;
  method: 'phone' | 'email' | 'sms';
  enabled: boolean;
}

const RULE_COLUMNS = `id, category_id AS "categoryId", channel, result, count, interval_hours AS "intervalHours", method, enabled`;

export async function insertFollowupRule(db: SqlExecutor, rule: Omit<FollowupRuleRecord, 'id'>): Promise<FollowupRuleRecord> {
  const result = await db.query<FollowupRuleRecord>(
    `INSERT INTO followup_rules (category_id, channel, result, count, interval_hours, method, enabled)
     VALUES ($1::integer, $2::text, $3::text, $4::integer, $5::integer, $6::text, $7::boolean)
     RETURNING ${RULE_COLUMNS}`,
    [rule.categoryId, rule.channel, rule.result, rule.count, rule.intervalHours, rule.method, rule.enabled],
  );
  return result.rows[0]!;
}

export async function listFollowupRules(db: SqlExecutor): Promise<FollowupRuleRecord[]> {
  return (await db.query<FollowupRuleRecord>(`SELECT ${RULE_COLUMNS} FROM followup_rules ORDER BY id`)).rows;
}

export async function deleteFollowupRule(db: SqlExecutor, id: number): Promise<boolean> {
  return (await db.query('DELETE FROM followup_rules WHERE id = $1::integer', [id])).rowCount > 0;
}

export interface UnplannedClosure {
  id: number;
  categoryPath: number[];
  channel: string;
  result: string | null;
  closedAtMs: number;
  existing: number;
}

/** Closed tickets whose current cycle has no follow-ups planned yet, closed at or before `nowMs`. */
export async function listUnplannedClosures(db: SqlExecutor, nowMs: number, limit: number): Promise<UnplannedClosure[]> {
  const result = await db.query<UnplannedClosure>(
    `SELECT t.id, t.channel, t.result, (extract(epoch FROM t.closed_at) * 1000)::float8 AS "closedAtMs",
       (SELECT count(*)::integer FROM followups f WHERE f.ticket_id = t.id) AS existing,
       (WITH RECURSIVE up(id, parent_id, depth) AS (
          SELECT id, parent_id, 0 FROM ticket_categories WHERE id = t.category_id
          UNION
          SELECT c.id, c.parent_id, up.depth + 1 FROM ticket_categories c JOIN up ON c.id = up.parent_id
        ) SELECT array_agg(id ORDER BY depth) FROM up) AS "categoryPath"
     FROM tickets t
     WHERE t.status = 'closed' AND t.followup_cycle < t.cycle AND t.closed_at <= $1::timestamptz
     ORDER BY t.closed_at
     LIMIT $2::integer`,
    [new Date(nowMs), limit],
  );
  return result.rows;
}

export interface NewFollowup {
  ticketId: number;
  ruleId: number;
  sequence: number;
  method: string;
  dueAtMs: number;
}

/**
 * Marks the ticket's current cycle as planned and inserts its follow-ups, in one statement: the update is
 * the claim, so a second process planning the same closure inserts nothing. False when already claimed.
 */
export async function claimFollowupPlan(db: SqlExecutor, ticketId: number, orders: readonly NewFollowup[]): Promise<boolean> {
  const result = await db.query<{ claimed: number }>(
    `WITH claimed AS (
       UPDATE tickets SET followup_cycle = cycle
       WHERE id = $1::integer AND status = 'closed' AND followup_cycle < cycle
       RETURNING id, cycle
     ), inserted AS (
       INSERT INTO followups (ticket_id, sequence, cycle, rule_id, method, due_at)
       SELECT claimed.id, o.sequence, claimed.cycle, o.rule_id, o.method, o.due_at
       FROM claimed, unnest($2::integer[], $3::integer[], $4::text[], $5::timestamptz[]) AS o(sequence, rule_id, method, due_at)
       ON CONFLICT (ticket_id, sequence) DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*)::integer FROM claimed) AS claimed`,
    [
      ticketId,
      orders.map((o) => o.sequence),
      orders.map((o) => o.ruleId),
      orders.map((o) => o.method),
      orders.map((o) => new Date(o.dueAtMs)),
    ],
  );
  return result.rows[0]!.claimed > 0;
}

export interface FollowupRecord {
  id: number;
  ticketId: number;
  ticketNumber: string;
  reporterPhone: string | null;
  reporterEmail: string | null;
  sequence: number;
  cycle: number;
  ruleId: number | null;
  method: string;
  dueAt: Date;
  status: 'due' | 'done' | 'cancelled';
  result: string | null;
  note: string | null;
  doneBy: number | null;
  doneAt: Date | null;
}

const SELECT = `SELECT f.id, f.ticket_id AS "ticketId", t.number AS "ticketNumber", t.reporter_phone AS "reporterPhone",
  t.reporter_email AS "reporterEmail", f.sequence, f.cycle, f.rule_id AS "ruleId", f.method, f.due_at AS "dueAt",
  f.status, f.result, f.note, f.done_by AS "doneBy", f.done_at AS "doneAt"
  FROM followups f JOIN tickets t ON t.id = f.ticket_id`;

/** The agents' queue: visits due at `atMs`, oldest first. */
export async function listDueFollowups(db: SqlExecutor, atMs: number, limit = 100): Promise<FollowupRecord[]> {
  const result = await db.query<FollowupRecord>(
    `${SELECT} WHERE f.status = 'due' AND f.due_at <= $1::timestamptz ORDER BY f.due_at, f.id LIMIT $2::integer`,
    [new Date(atMs), limit],
  );
  return result.rows;
}

export async function listTicketFollowups(db: SqlExecutor, ticketIds: readonly number[]): Promise<FollowupRecord[]> {
  const result = await db.query<FollowupRecord>(
    `${SELECT} WHERE f.ticket_id = ANY($1::integer[]) ORDER BY f.ticket_id, f.sequence`,
    [ticketIds],
  );
  return result.rows;
}

export async function findFollowup(db: SqlExecutor, id: number): Promise<FollowupRecord | null> {
  return (await db.query<FollowupRecord>(`${SELECT} WHERE f.id = $1::integer`, [id])).rows[0] ?? null;
}

/** Records a visit's result once; false when it was no longer due. */
export async function completeFollowup(
  db: SqlExecutor,
  id: number,
  outcome: { result: string; note: string | null; doneBy: number; atMs: number },
): Promise<boolean> {
  const result = await db.query(
    `UPDATE followups SET status = 'done', result = $2::text, note = $3::text, done_by = $4::integer, done_at = $5::timestamptz
     WHERE id = $1::integer AND status = 'due'`,
    [id, outcome.result, outcome.note, outcome.doneBy, new Date(outcome.atMs)],
  );
  return result.rowCount > 0;
}

/** A dissatisfied answer reopens the ticket; the visits still planned for that cycle are cancelled. */
export async function cancelDueFollowups(db: SqlExecutor, ticketId: number): Promise<number> {
  const result = await db.query(
    `UPDATE followups SET status = 'cancelled' WHERE ticket_id = $1::integer AND status = 'due'`,
    [ticketId],
  );
  return result.rowCount;
}
