import type { SqlExecutor } from '../sql-client.ts';

export interface PlanStep {
  title: string;
  unitId: number | null;
}

export interface PlanRecord {
  id: number;
  name: string;
  categoryId: number | null;
  priority: string | null;
  alertUnitIds: number[];
  steps: PlanStep[];
  active: boolean;
}

const COLUMNS = `id, name, category_id AS "categoryId", priority, alert_unit_ids AS "alertUnitIds", steps, active`;

export async function insertPlan(db: SqlExecutor, plan: Omit<PlanRecord, 'id'>): Promise<PlanRecord> {
  const result = await db.query<PlanRecord>(
    `INSERT INTO plans (name, category_id, priority, alert_unit_ids, steps, active)
     VALUES ($1::text, $2::integer, $3::text, $4::integer[], $5::jsonb, $6::boolean)
     RETURNING ${COLUMNS}`,
    [plan.name, plan.categoryId, plan.priority, plan.alertUnitIds, JSON.stringify(plan.steps), plan.active],
  );
  return result.rows[0]!;
}

export async function listPlans(db: SqlExecutor): Promise<PlanRecord[]> {
  return (await db.query<PlanRecord>(`SELECT ${COLUMNS} FROM plans ORDER BY id`)).rows;
}

export async function findPlan(db: SqlExecutor, id: number): Promise<PlanRecord | null> {
  return (await db.query<PlanRecord>(`SELECT ${COLUMNS} FROM plans WHERE id = $1::integer`, [id])).rows[0] ?? null;
}

/**
 * The active plan for a ticket: matching its category (or an ancestor, nearest first) and priority, a plan
 * naming both preferred to one naming either.
 */
export async function findPlanFor(db: SqlExecutor, categoryPath: readonly number[], priority: string): Promise<PlanRecord | null> {
  const result = await db.query<PlanRecord>(
    `SELECT ${COLUMNS} FROM plans
     WHERE active AND (category_id IS NULL OR category_id = ANY($1::integer[]))
       AND (priority IS NULL OR priority = $2::text) AND (category_id IS NOT NULL OR priority IS NOT NULL)
     ORDER BY (category_id IS NOT NULL) DESC, array_position($1::integer[], category_id), (priority IS NOT NULL) DESC, id
     LIMIT 1`,
    [categoryPath, priority],
  );
  return result.rows[0] ?? null;
}

export interface TicketPlanStep {
  ticketId: number;
  position: number;
  planId: number | null;
  title: string;
  unitId: number | null;
  doneAt: Date | null;
  doneBy: number | null;
  note: string | null;
}

const STEP_COLUMNS = `ticket_id AS "ticketId", position, plan_id AS "planId", title, unit_id AS "unitId",
  done_at AS "doneAt", done_by AS "doneBy", note`;

/** Copies the plan's steps onto the ticket; nothing when the ticket already has a plan open. */
export async function openTicketPlan(db: SqlExecutor, ticketId: number, plan: PlanRecord): Promise<TicketPlanStep[]> {
  const result = await db.query<TicketPlanStep>(
    `INSERT INTO ticket_plan_steps (ticket_id, position, plan_id, title, unit_id)
     SELECT $1::integer, s.ordinality, $2::integer, s.step->>'title', (s.step->>'unitId')::integer
     FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS s(step, ordinality)
     WHERE NOT EXISTS (SELECT 1 FROM ticket_plan_steps WHERE ticket_id = $1::integer)
     RETURNING ${STEP_COLUMNS}`,
    [ticketId, plan.id, JSON.stringify(plan.steps)],
  );
  return result.rows;
}

export async function listTicketPlanSteps(db: SqlExecutor, ticketId: number): Promise<TicketPlanStep[]> {
  const result = await db.query<TicketPlanStep>(
    `SELECT ${STEP_COLUMNS} FROM ticket_plan_steps WHERE ticket_id = $1::integer ORDER BY position`,
    [ticketId],
  );
  return result.rows;
}

/** Ticks a step off once; null when there is no such step or it was already done. */
export async function completeTicketPlanStep(
  db: SqlExecutor,
  ticketId: number,
  position: number,
  done: { by: number; atMs: number; note: string | null },
): Promise<TicketPlanStep | null> {
  const result = await db.query<TicketPlanStep>(
    `UPDATE ticket_plan_steps SET done_at = $3::timestamptz, done_by = $4::integer, note = $5::text
     WHERE ticket_id = $1::integer AND position = $2::integer AND done_at IS NULL
     RETURNING ${STEP_COLUMNS}`,
    [ticketId, position, new Date(done.atMs), done.by, done.note],
  );
  return result.rows[0] ?? null;
}
