import type { SqlExecutor } from '../sql-client.ts';

export interface SurveyQuestion {
  id: string;
  text: string;
  kind: 'choice' | 'score' | 'text';
  options?: string[];
}

export interface SurveyRecord {
  id: number;
  title: string;
  description: string | null;
  questions: SurveyQuestion[];
  categoryId: number | null;
  sampleRate: number;
  active: boolean;
  createdBy: number | null;
  createdAt: Date;
}

const COLUMNS = `id, title, description, questions, category_id AS "categoryId", sample_rate AS "sampleRate", active,
  created_by AS "createdBy", created_at AS "createdAt"`;

export async function insertSurvey(
  db: SqlExecutor,
  survey: Omit<SurveyRecord, 'id' | 'createdAt'>,
): Promise<SurveyRecord> {
  const result = await db.query<SurveyRecord>(
    `INSERT INTO surveys (title, description, questions, category_id, sample_rate, active, created_by)
     VALUES ($1::text, $2::text, $3::jsonb, $4::integer, $5::float8, $6::boolean, $7::integer)
     RETURNING ${COLUMNS}`,
    [survey.title, survey.description, JSON.stringify(survey.questions), survey.categoryId, survey.sampleRate, survey.active, survey.createdBy],
  );
  return result.rows[0]!;
}

export async function listSurveys(db: SqlExecutor): Promise<SurveyRecord[]> {
  return (await db.query<SurveyRecord>(`SELECT ${COLUMNS} FROM surveys ORDER BY id`)).rows;
}

export async function findSurvey(db: SqlExecutor, id: number): Promise<SurveyRecord | null> {
  return (await db.query<SurveyRecord>(`SELECT ${COLUMNS} FROM surveys WHERE id = $1::integer`, [id])).rows[0] ?? null;
}

export interface SurveyAssignment {
  id: number;
  surveyId: number;
  ticketId: number | null;
  ticketNumber: string | null;
  phone: string | null;
  status: 'pending' | 'answered' | 'declined';
  answers: Record<string, unknown> | null;
  answeredBy: number | null;
  answeredAt: Date | null;
  createdAt: Date;
}

const ASSIGNMENT_SELECT = `SELECT a.id, a.survey_id AS "surveyId", a.ticket_id AS "ticketId", t.number AS "ticketNumber",
  a.phone, a.status, a.answers, a.answered_by AS "answeredBy", a.answered_at AS "answeredAt", a.created_at AS "createdAt"
  FROM survey_assignments a LEFT JOIN tickets t ON t.id = a.ticket_id`;

/**
 * Draws the sample: closed tickets registered in the period (of the survey's category subtree, when it has
 * one) with a reporter phone, each kept with the survey's sample rate. The draw is a hash of survey and
 * ticket, so repeating it selects the same citizens and adds no assignment twice.
 */
export async function assignSurveySample(
  db: SqlExecutor,
  surveyId: number,
  period: { fromMs: number; toMs: number },
): Promise<SurveyAssignment[]> {
  const result = await db.query<{ id: number }>(
    `WITH RECURSIVE s AS (SELECT * FROM surveys WHERE id = $1::integer AND active),
     cats(id) AS (
       SELECT category_id FROM s WHERE category_id IS NOT NULL
       UNION
       SELECT c.id FROM ticket_categories c JOIN cats ON c.parent_id = cats.id
     )
     INSERT INTO survey_assignments (survey_id, ticket_id, phone)
     SELECT s.id, t.id, t.reporter_phone
     FROM s, tickets t
     WHERE t.status = 'closed' AND t.reporter_phone IS NOT NULL
       AND t.registered_at >= $2::timestamptz AND t.registered_at < $3::timestamptz
       AND (s.category_id IS NULL OR t.category_id IN (SELECT id FROM cats))
       AND (abs(hashtext(s.id || ':' || t.id)) % 10000) < s.sample_rate * 10000
     ON CONFLICT (survey_id, ticket_id) DO NOTHING
     RETURNING id`,
    [surveyId, new Date(period.fromMs), new Date(period.toMs)],
  );
  if (result.rows.length === 0) return [];
  const rows = await db.query<SurveyAssignment>(`${ASSIGNMENT_SELECT} WHERE a.id = ANY($1::integer[]) ORDER BY a.id`, [
    result.rows.map((row) => row.id),
  ]);
  return rows.rows;
}

export async function listSurveyAssignments(
  db: SqlExecutor,
  filter: { surveyId?: number | null; status?: string | null },
): Promise<SurveyAssignment[]> {
  const result = await db.query<SurveyAssignment>(
    `${ASSIGNMENT_SELECT}
     WHERE ($1::integer IS NULL OR a.survey_id = $1::integer) AND ($2::text IS NULL OR a.status = $2::text)
     ORDER BY a.id LIMIT 500`,
    [filter.surveyId ?? null, filter.status ?? null],
  );
  return result.rows;
}

export async function findSurveyAssignment(db: SqlExecutor, id: number): Promise<SurveyAssignment | null> {
  return (await db.query<SurveyAssignment>(`${ASSIGNMENT_SELECT} WHERE a.id = $1::integer`, [id])).rows[0] ?? null;
}

/** Stores the answers of a pending assignment once; null when it is not pending. */
export async function answerSurveyAssignment(
  db: SqlExecutor,
  id: number,
  answer: { status: 'answered' | 'declined'; answers: Record<string, unknown> | null; by: number; atMs: number },
): Promise<SurveyAssignment | null> {
  const updated = await db.query<{ id: number }>(
    `UPDATE survey_assignments SET status = $2::text, answers = $3::jsonb, answered_by = $4::integer, answered_at = $5::timestamptz
     WHERE id = $1::integer AND status = 'pending' RETURNING id`,
    [id, answer.status, answer.answers === null ? null : JSON.stringify(answer.answers), answer.by, new Date(answer.atMs)],
  );
  if (updated.rowCount === 0) return null;
  return (await db.query<SurveyAssignment>(`${ASSIGNMENT_SELECT} WHERE a.id = $1::integer`, [id])).rows[0] ?? null;
}

export async function listSurveyAnswers(db: SqlExecutor, surveyId: number): Promise<{ status: string; answers: Record<string, unknown> | null }[]> {
  const result = await db.query<{ status: string; answers: Record<string, unknown> | null }>(
    `SELECT status, answers FROM survey_assignments WHERE survey_id = $1::integer`,
    [surveyId],
  );
  return result.rows;
}
