import type { SqlExecutor } from '../sql-client.ts';

/** Working hours per stage (`accepted`, `dispatched`, `arrived`, `handled`, `closed`); `closed` always set. */
export type CategoryLimits = Record<string, number> & { closed: number };

export interface TicketCategory {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  description: string | null;
  keywords: string[];
  limits: CategoryLimits;
  calendarId: number | null;
  duplicateRadiusM: number;
  duplicatePeriodHours: number;
  public: boolean;
  active: boolean;
}

export type NewTicketCategory = Pick<TicketCategory, 'code' | 'name'> & Partial<Omit<TicketCategory, 'id' | 'code' | 'name'>>;

const COLUMNS = `id, parent_id AS "parentId", code, name, description, keywords, limits, calendar_id AS "calendarId",
  duplicate_radius_m AS "duplicateRadiusM", duplicate_period_hours AS "duplicatePeriodHours", public, active`;

export async function insertTicketCategory(db: SqlExecutor, category: NewTicketCategory): Promise<TicketCategory> {
  const result = await db.query<TicketCategory>(
    `INSERT INTO ticket_categories (parent_id, code, name, description, keywords, limits, calendar_id,
       duplicate_radius_m, duplicate_period_hours, public, active)
     VALUES ($1::integer, $2::text, $3::text, $4::text, $5::text[], $6::jsonb, $7::integer,
       COALESCE($8::integer, 200), COALESCE($9::integer, 72), COALESCE($10::boolean, true), COALESCE($11::boolean, true))
     RETURNING ${COLUMNS}`,
    [
      category.parentId ?? null, category.code, category.name, category.description ?? null, category.keywords ?? [],
      JSON.stringify(category.limits ?? { closed: 40 }), category.calendarId ?? null, category.duplicateRadiusM ?? null,
      category.duplicatePeriodHours ?? null, category.public ?? null, category.active ?? null,
    ],
  );
  return result.rows[0]!;
}

/** A key that is present is written; an absent one keeps the stored value. */
export async function updateTicketCategory(
  db: SqlExecutor,
  id: number,
  patch: Partial<NewTicketCategory>,
): Promise<TicketCategory | null> {
  const result = await db.query<TicketCategory>(
    `UPDATE ticket_categories SET
       parent_id = CASE WHEN $2::boolean THEN $3::integer ELSE parent_id END,
       code = COALESCE($4::text, code),
       name = COALESCE($5::text, name),
       description = CASE WHEN $6::boolean THEN $7::text ELSE description END,
       keywords = COALESCE($8::text[], keywords),
       limits = COALESCE($9::jsonb, limits),
       calendar_id = CASE WHEN $10::boolean THEN $11::integer ELSE calendar_id END,
       duplicate_radius_m = COALESCE($12::integer, duplicate_radius_m),
       duplicate_period_hours = COALESCE($13::integer, duplicate_period_hours),
       public = COALESCE($14::boolean, public),
       active = COALESCE($15::boolean, active)
     WHERE id = $1::integer
     RETURNING ${COLUMNS}`,
    [
      id, 'parentId' in patch, patch.parentId ?? null, patch.code ?? null, patch.name ?? null,
      'description' in patch, patch.description ?? null, patch.keywords ?? null,
      patch.limits ? JSON.stringify(patch.limits) : null, 'calendarId' in patch, patch.calendarId ?? null,
      patch.duplicateRadiusM ?? null, patch.duplicatePeriodHours ?? null, patch.public ?? null, patch.active ?? null,
    ],
  );
  return result.rows[0] ?? null;
}

export async function listTicketCategories(db: SqlExecutor): Promise<TicketCategory[]> {
  return (await db.query<TicketCategory>(`SELECT ${COLUMNS} FROM ticket_categories ORDER BY parent_id NULLS FIRST, id`)).rows;
}

export async function findTicketCategory(db: SqlExecutor, idOrCode: number | string): Promise<TicketCategory | null> {
  const result = await db.query<TicketCategory>(
    typeof idOrCode === 'number'
      ? `SELECT ${COLUMNS} FROM ticket_categories WHERE id = $1::integer`
      : `SELECT ${COLUMNS} FROM ticket_categories WHERE code = $1::text`,
    [idOrCode],
  );
  return result.rows[0] ?? null;
}

/** The category and its ancestors, nearest first: rules on a parent cover its children. */
export async function categoryPath(db: SqlExecutor, id: number): Promise<number[]> {
  const result = await db.query<{ id: number }>(
    `WITH RECURSIVE up(id, parent_id, depth) AS (
       SELECT id, parent_id, 0 FROM ticket_categories WHERE id = $1::integer
       UNION
       SELECT c.id, c.parent_id, up.depth + 1 FROM ticket_categories c JOIN up ON c.id = up.parent_id
     )
     SELECT id FROM up ORDER BY depth`,
    [id],
  );
  return result.rows.map((row) => row.id);
}

export interface WorkCalendarRecord {
  id: number;
  name: string;
  timeZone: string;
  workdays: number[];
  hours: { start: string; end: string }[];
  /** 'YYYY-MM-DD' */
  holidays: string[];
  extraWorkdays: string[];
}

const CALENDAR_COLUMNS = `id, name, time_zone AS "timeZone", workdays,
  hours, to_json(array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(holidays) d ORDER BY d)) AS holidays,
  to_json(array(SELECT to_char(d, 'YYYY-MM-DD') FROM unnest(extra_workdays) d ORDER BY d)) AS "extraWorkdays"`;

/**
 * The calendar a category's deadlines count in: its own, else the nearest ancestor's, else 'default'.
 */
export async function calendarForCategory(db: SqlExecutor, categoryId: number): Promise<WorkCalendarRecord> {
  const result = await db.query<WorkCalendarRecord>(
    `WITH RECURSIVE up(id, parent_id, calendar_id, depth) AS (
       SELECT id, parent_id, calendar_id, 0 FROM ticket_categories WHERE id = $1::integer
       UNION
       SELECT c.id, c.parent_id, c.calendar_id, up.depth + 1 FROM ticket_categories c JOIN up ON c.id = up.parent_id
     )
     SELECT ${CALENDAR_COLUMNS} FROM work_calendars
     WHERE id = COALESCE((SELECT calendar_id FROM up WHERE calendar_id IS NOT NULL ORDER BY depth LIMIT 1),
                         (SELECT id FROM work_calendars WHERE name = 'default'))`,
    [categoryId],
  );
  return result.rows[0]!;
}

export async function listWorkCalendars(db: SqlExecutor): Promise<WorkCalendarRecord[]> {
  return (await db.query<WorkCalendarRecord>(`SELECT ${CALENDAR_COLUMNS} FROM work_calendars ORDER BY id`)).rows;
}

/** Creates the calendar, or replaces the one of the same name. */
export async function upsertWorkCalendar(db: SqlExecutor, calendar: Omit<WorkCalendarRecord, 'id'>): Promise<WorkCalendarRecord> {
  const result = await db.query<WorkCalendarRecord>(
    `INSERT INTO work_calendars (name, time_zone, workdays, hours, holidays, extra_workdays)
     VALUES ($1::text, $2::text, $3::smallint[], $4::jsonb, $5::date[], $6::date[])
     ON CONFLICT (name) DO UPDATE SET time_zone = EXCLUDED.time_zone, workdays = EXCLUDED.workdays,
       hours = EXCLUDED.hours, holidays = EXCLUDED.holidays, extra_workdays = EXCLUDED.extra_workdays
     RETURNING ${CALENDAR_COLUMNS}`,
    [calendar.name, calendar.timeZone, calendar.workdays, JSON.stringify(calendar.hours), calendar.holidays, calendar.extraWorkdays],
  );
  return result.rows[0]!;
}
