import type { SqlClient, SqlExecutor } from '../sql-client.ts';
import { MEASURE_COLUMNS, TICKET_MEASURES, type SatisfactionCounts, type TicketCounts } from './stats.ts';

export const EVALUATION_STAGES = ['mobilise', 'self_inspection', 'supervised_evaluation', 'summary'] as const;
export type EvaluationStage = (typeof EVALUATION_STAGES)[number];
export const RATER_KINDS = ['citizen', 'managed_party', 'supervisor', 'official'] as const;
export type RaterKind = (typeof RATER_KINDS)[number];
export const SUBMISSION_KINDS = ['plan', 'self_inspection_report', 'correction_result', 'summary', 'other'] as const;
export type SubmissionKind = (typeof SUBMISSION_KINDS)[number];

export interface StageDeadline {
  stage: EvaluationStage;
  startsAt: Date;
  dueAt: Date;
}

export interface Campaign {
  id: number;
  year: number;
  title: string;
  formula: Record<string, number>;
  commendCount: number;
  superviseCount: number;
  remindDays: number;
  createdAt: Date;
  stages: StageDeadline[];
  unitIds: number[];
}

export interface NewCampaign {
  year: number;
  title: string;
  formula: Record<string, number>;
  commendCount: number;
  superviseCount: number;
  remindDays: number;
  createdBy: number | null;
  stages: ReadonlyArray<{ stage: EvaluationStage; startsAtMs: number; dueAtMs: number }>;
  unitIds: readonly number[];
}

const CAMPAIGN = `SELECT c.id, c.year, c.title, c.formula, c.commend_count AS "commendCount",
    c.supervise_count AS "superviseCount", c.remind_days AS "remindDays", c.created_at AS "createdAt",
    COALESCE((SELECT json_agg(json_build_object('stage', s.stage, 'startsAt', s.starts_at, 'dueAt', s.due_at) ORDER BY s.due_at)
              FROM evaluation_stages s WHERE s.campaign_id = c.id), '[]') AS stages,
    ARRAY(SELECT unit_id FROM evaluation_units u WHERE u.campaign_id = c.id ORDER BY unit_id) AS "unitIds"
  FROM evaluation_campaigns c`;

// json_agg turns timestamps into strings; callers get Dates like everywhere else.
function withDates(row: Campaign): Campaign {
  return { ...row, stages: row.stages.map((s) => ({ stage: s.stage, startsAt: new Date(s.startsAt), dueAt: new Date(s.dueAt) })) };
}

/** A campaign with its stages and units, in one transaction: a campaign without its deadlines is never seen. */
export async function insertCampaign(db: SqlClient, campaign: NewCampaign): Promise<Campaign> {
  const id = await db.transaction(async (tx) => {
    const inserted = await tx.query<{ id: number }>(
      `INSERT INTO evaluation_campaigns (year, title, formula, commend_count, supervise_count, remind_days, created_by)
       VALUES ($1::integer, $2::text, $3::jsonb, $4::integer, $5::integer, $6::integer, $7::integer) RETURNING id`,
      [campaign.year, campaign.title, JSON.stringify(campaign.formula), campaign.commendCount, campaign.superviseCount, campaign.remindDays, campaign.createdBy],
    );
    const campaignId = inserted.rows[0]!.id;
    await tx.query(
      `INSERT INTO evaluation_stages (campaign_id, stage, starts_at, due_at)
       SELECT $1::integer, s, f, d FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[]) AS x(s, f, d)`,
      [campaignId, campaign.stages.map((s) => s.stage), campaign.stages.map((s) => new Date(s.startsAtMs)), campaign.stages.map((s) => new Date(s.dueAtMs))],
    );
    await tx.query(`INSERT INTO evaluation_units (campaign_id, unit_id) SELECT $1::integer, unnest($2::integer[])`, [campaignId, campaign.unitIds]);
    return campaignId;
  });
  return (await findCampaign(db, id))!;
}

export async function findCampaign(db: SqlExecutor, id: number): Promise<Campaign | null> {
  const result = await db.query<Campaign>(`${CAMPAIGN} WHERE c.id = $1::integer`, [id]);
  return result.rows[0] ? withDates(result.rows[0]) : null;
}

export async function listCampaigns(db: SqlExecutor): Promise<Campaign[]> {
  const result = await db.query<Campaign>(`${CAMPAIGN} ORDER BY c.year DESC`);
  return result.rows.map(withDates);
}

export interface CampaignSettings {
  formula?: Record<string, number> | undefined;
  commendCount?: number | undefined;
  superviseCount?: number | undefined;
  remindDays?: number | undefined;
}

export async function updateCampaignSettings(db: SqlExecutor, id: number, settings: CampaignSettings): Promise<boolean> {
  const result = await db.query(
    `UPDATE evaluation_campaigns SET formula = COALESCE($2::jsonb, formula), commend_count = COALESCE($3::integer, commend_count),
       supervise_count = COALESCE($4::integer, supervise_count), remind_days = COALESCE($5::integer, remind_days)
     WHERE id = $1::integer`,
    [id, settings.formula ? JSON.stringify(settings.formula) : null, settings.commendCount ?? null, settings.superviseCount ?? null, settings.remindDays ?? null],
  );
  return result.rowCount > 0;
}

export interface Submission {
  id: number;
  campaignId: number;
  unitId: number;
  unitName: string;
  stage: EvaluationStage;
  kind: SubmissionKind;
  title: string;
  content: string;
  submittedBy: number | null;
  submittedAt: Date;
}

const SUBMISSION = `SELECT s.id, s.campaign_id AS "campaignId", s.unit_id AS "unitId", u.name AS "unitName", s.stage, s.kind,
    s.title, s.content, s.submitted_by AS "submittedBy", s.submitted_at AS "submittedAt"
  FROM evaluation_submissions s JOIN units u ON u.id = s.unit_id`;

export async function insertSubmission(
  db: SqlExecutor,
  s: Omit<Submission, 'id' | 'unitName' | 'submittedAt'> & { submittedAtMs: number },
): Promise<Submission> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO evaluation_submissions (campaign_id, unit_id, stage, kind, title, content, submitted_by, submitted_at)
     VALUES ($1::integer, $2::integer, $3::text, $4::text, $5::text, $6::text, $7::integer, $8::timestamptz) RETURNING id`,
    [s.campaignId, s.unitId, s.stage, s.kind, s.title, s.content, s.submittedBy, new Date(s.submittedAtMs)],
  );
  const found = await db.query<Submission>(`${SUBMISSION} WHERE s.id = $1::integer`, [result.rows[0]!.id]);
  return found.rows[0]!;
}

/** A campaign's ledgers, by unit and stage; only the given units' when `unitIds` is not null. */
export async function listSubmissions(db: SqlExecutor, campaignId: number, unitIds: readonly number[] | null): Promise<Submission[]> {
  const result = await db.query<Submission>(
    `${SUBMISSION} WHERE s.campaign_id = $1::integer AND ($2::integer[] IS NULL OR s.unit_id = ANY ($2::integer[]))
     ORDER BY s.unit_id, s.stage, s.submitted_at, s.id`,
    [campaignId, unitIds],
  );
  return result.rows;
}

export interface StageReminder {
  stage: EvaluationStage;
  dueAt: Date;
  unitId: number;
  unitName: string;
}

/**
 * Units that have filed nothing for a stage whose deadline is within the campaign's reminder days of `atMs`
 * (and not yet past): whom to remind, and of what.
 */
export async function listStageReminders(db: SqlExecutor, campaignId: number, atMs: number): Promise<StageReminder[]> {
  const result = await db.query<StageReminder>(
    `SELECT s.stage, s.due_at AS "dueAt", eu.unit_id AS "unitId", u.name AS "unitName"
     FROM evaluation_campaigns c
     JOIN evaluation_stages s ON s.campaign_id = c.id
     JOIN evaluation_units eu ON eu.campaign_id = c.id
     JOIN units u ON u.id = eu.unit_id
     WHERE c.id = $1::integer AND s.due_at >= $2::timestamptz AND s.due_at - make_interval(days => c.remind_days) <= $2::timestamptz
       AND NOT EXISTS (SELECT 1 FROM evaluation_submissions x
                       WHERE x.campaign_id = c.id AND x.unit_id = eu.unit_id AND x.stage = s.stage)
     ORDER BY s.due_at, eu.unit_id`,
    [campaignId, new Date(atMs)],
  );
  return result.rows;
}

export interface EvaluationSession {
  id: number;
  campaignId: number;
  title: string;
  heldAt: Date;
  finalisedAt: Date | null;
  raters: number;
  /** Raters by kind. */
  composition: Record<RaterKind, number>;
}

const SESSION = `SELECT s.id, s.campaign_id AS "campaignId", s.title, s.held_at AS "heldAt", s.finalised_at AS "finalisedAt",
    (SELECT count(*)::integer FROM evaluation_raters r WHERE r.session_id = s.id) AS raters,
    json_build_object(${RATER_KINDS.map((k) => `'${k}', (SELECT count(*)::integer FROM evaluation_raters r WHERE r.session_id = s.id AND r.kind = '${k}')`).join(', ')}) AS composition
  FROM evaluation_sessions s`;

export async function insertEvaluationSession(db: SqlExecutor, campaignId: number, title: string, heldAtMs: number): Promise<EvaluationSession> {
  const result = await db.query<{ id: number }>(
    `INSERT INTO evaluation_sessions (campaign_id, title, held_at) VALUES ($1::integer, $2::text, $3::timestamptz) RETURNING id`,
    [campaignId, title, new Date(heldAtMs)],
  );
  return (await findEvaluationSession(db, result.rows[0]!.id))!;
}

export async function findEvaluationSession(db: SqlExecutor, id: number): Promise<EvaluationSession | null> {
  const result = await db.query<EvaluationSession>(`${SESSION} WHERE s.id = $1::integer`, [id]);
  return result.rows[0] ?? null;
}

export async function listEvaluationSessions(db: SqlExecutor, campaignId: number): Promise<EvaluationSession[]> {
  const result = await db.query<EvaluationSession>(`${SESSION} WHERE s.campaign_id = $1::integer ORDER BY s.held_at, s.id`, [campaignId]);
  return result.rows;
}

/** Marks a session final unless it already is; false when it was. */
export async function finaliseEvaluationSession(db: SqlExecutor, id: number, atMs: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE evaluation_sessions SET finalised_at = $2::timestamptz WHERE id = $1::integer AND finalised_at IS NULL`,
    [id, new Date(atMs)],
  );
  return result.rowCount > 0;
}

export interface NewRater {
  name: string;
  kind: RaterKind;
  organisation: string | null;
}

export async function insertRaters(db: SqlExecutor, sessionId: number, raters: readonly NewRater[]): Promise<Array<NewRater & { id: number }>> {
  const result = await db.query<NewRater & { id: number }>(
    `INSERT INTO evaluation_raters (session_id, name, kind, organisation)
     SELECT $1::integer, n, k, o FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS x(n, k, o, i) ORDER BY i
     RETURNING id, name, kind, organisation`,
    [sessionId, raters.map((r) => r.name), raters.map((r) => r.kind), raters.map((r) => r.organisation)],
  );
  return result.rows;
}

export interface RaterScore {
  raterId: number;
  unitId: number;
  score: number;
  answers: Record<string, unknown>;
}

/**
 * Records questionnaires of the session's raters (a rater answering again replaces the earlier one). Returns
 * how many were stored; scores of raters from another session are not.
 */
export async function upsertScores(db: SqlExecutor, sessionId: number, scores: readonly RaterScore[]): Promise<number> {
  const result = await db.query(
    `INSERT INTO evaluation_scores (rater_id, unit_id, score, answers)
     SELECT x.r, x.u, x.s, x.a FROM unnest($2::integer[], $3::integer[], $4::float8[], $5::jsonb[]) AS x(r, u, s, a)
     JOIN evaluation_raters r ON r.id = x.r AND r.session_id = $1::integer
     ON CONFLICT (rater_id, unit_id) DO UPDATE SET score = EXCLUDED.score, answers = EXCLUDED.answers`,
    [sessionId, scores.map((s) => s.raterId), scores.map((s) => s.unitId), scores.map((s) => s.score), scores.map((s) => JSON.stringify(s.answers))],
  );
  return result.rowCount;
}

export interface PublicScore {
  unitId: number;
  /** Mean of every questionnaire score given to the unit in the campaign's finalised sessions. */
  meanScore: number;
  questionnaires: number;
  sessions: number;
}

export async function publicScores(db: SqlExecutor, campaignId: number): Promise<PublicScore[]> {
  const result = await db.query<PublicScore>(
    `SELECT sc.unit_id AS "unitId", avg(sc.score)::float8 AS "meanScore", count(*)::integer AS questionnaires,
       count(DISTINCT s.id)::integer AS sessions
     FROM evaluation_sessions s
     JOIN evaluation_raters r ON r.session_id = s.id
     JOIN evaluation_scores sc ON sc.rater_id = r.id
     WHERE s.campaign_id = $1::integer AND s.finalised_at IS NOT NULL
     GROUP BY sc.unit_id`,
    [campaignId],
  );
  return result.rows;
}

const SATISFACTION = ['satisfied', 'basicallySatisfied', 'dissatisfied', 'unreachable'] as const;

export interface UnitTicketMeasures extends TicketCounts, SatisfactionCounts {
  unitId: number;
}

// $1 the evaluated units: each with every unit of its subtree.
const TREE = `WITH RECURSIVE tree(root, id) AS (
    SELECT r, r FROM unnest($1::integer[]) AS r
    UNION ALL
    SELECT tree.root, u.id FROM units u JOIN tree ON u.parent_id = tree.id
  )`;

/** Sums per-unit counts (`perUnit`, one row per unit_id) over each evaluated unit's subtree. */
function rolledUp(perUnit: string, columns: readonly string[]): string {
  return `${TREE}, per_unit AS (${perUnit})
    SELECT r AS "unitId", ${columns.map((name) => `COALESCE(sum(p."${name}"), 0)::integer AS "${name}"`).join(', ')}
    FROM unnest($1::integer[]) AS r
    LEFT JOIN tree ON tree.root = r
    LEFT JOIN per_unit p ON p.unit_id = tree.id
    GROUP BY r ORDER BY r`;
}

const COUNTS = rolledUp(
  `SELECT b.unit_id, ${MEASURE_COLUMNS}
   FROM (SELECT t.*, t.status = 'closed' AND t.closed_at <= $4::timestamptz AS is_closed,
           COALESCE(t.due_at, t.closed_due_at) AS deadline
         FROM tickets t
         WHERE t.registered_at >= $2::timestamptz AND t.registered_at < $3::timestamptz
           AND t.status <> 'merged' AND t.unit_id IN (SELECT id FROM tree)) b
   GROUP BY b.unit_id`,
  ['total', ...TICKET_MEASURES],
);

const VISITS = rolledUp(
  `SELECT t.unit_id,
     count(*) FILTER (WHERE f.result = 'satisfied')::integer AS satisfied,
     count(*) FILTER (WHERE f.result = 'basically_satisfied')::integer AS "basicallySatisfied",
     count(*) FILTER (WHERE f.result = 'dissatisfied')::integer AS dissatisfied,
     count(*) FILTER (WHERE f.result = 'unreachable')::integer AS unreachable
   FROM followups f JOIN tickets t ON t.id = f.ticket_id
   WHERE f.status = 'done' AND f.done_at >= $2::timestamptz AND f.done_at < $3::timestamptz
     AND t.unit_id IN (SELECT id FROM tree)
   GROUP BY t.unit_id`,
  SATISFACTION,
);

/**
 * The ticket counts of each unit's whole subtree over [from, to) as of `asOf`, by the same rules as the
 * statistics, with the results of follow-up visits made in the period to those tickets. Counted per unit
 * first, then rolled up; the tickets and the visits are two statements run at once.
 */
export async function unitTicketMeasures(
  db: SqlExecutor,
  window: { fromMs: number; toMs: number; asOfMs: number },
  rootUnitIds: readonly number[],
): Promise<UnitTicketMeasures[]> {
  const from = new Date(window.fromMs);
  const to = new Date(window.toMs);
  const [counts, visits] = await Promise.all([
    db.query<UnitTicketMeasures>(COUNTS, [rootUnitIds, from, to, new Date(window.asOfMs)]),
    db.query<SatisfactionCounts & { unitId: number }>(VISITS, [rootUnitIds, from, to]),
  ]);
  const byUnit = new Map(visits.rows.map((row) => [row.unitId, row]));
  return counts.rows.map((row) => ({ ...row, ...byUnit.get(row.unitId)!, unitId: row.unitId }));
}
