/**
 * Survey statistics from the stored answers: per choice question the count of each option, per score
 * question the mean, per text question the number of answers. Declined and pending assignments count
 * toward the response rate only.
 */
export interface SurveyQuestionDef {
  id: string;
  kind: 'choice' | 'score' | 'text';
  options?: string[];
}

export interface QuestionResult {
  answers: number;
  counts?: Record<string, number>;
  mean?: number | null;
}

export interface SurveyResults {
  assigned: number;
  answered: number;
  declined: number;
  responseRate: number | null;
  questions: Record<string, QuestionResult>;
}

export function summariseSurvey(
  questions: readonly SurveyQuestionDef[],
  assignments: readonly { status: string; answers: Record<string, unknown> | null }[],
): SurveyResults {
  const answered = assignments.filter((a) => a.status === 'answered');
  const results: Record<string, QuestionResult> = {};
  for (const q of questions) {
    const values = answered.map((a) => a.answers?.[q.id]).filter((v) => v !== undefined && v !== null && v !== '');
    if (q.kind === 'choice') {
      const counts = Object.fromEntries((q.options ?? []).map((o) => [o, 0]));
      for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
      results[q.id] = { answers: values.length, counts };
    } else if (q.kind === 'score') {
      const scores = values.map(Number).filter(Number.isFinite);
      results[q.id] = { answers: scores.length, mean: scores.length ? scores.reduce((s, v) => s + v, 0) / scores.length : null };
    } else {
      results[q.id] = { answers: values.length };
    }
  }
  return {
    assigned: assignments.length,
    answered: answered.length,
    declined: assignments.filter((a) => a.status === 'declined').length,
    responseRate: assignments.length ? answered.length / assignments.length : null,
    questions: results,
  };
}

/** Problems with a set of answers for these questions, as texts; empty when they are acceptable. */
export function checkAnswers(questions: readonly SurveyQuestionDef[], answers: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(answers)) if (!known.has(key)) problems.push(`'${key}' is not a question of this survey`);
  for (const q of questions) {
    const value = answers[q.id];
    if (value === undefined || value === null) continue;
    if (q.kind === 'choice' && !(q.options ?? []).includes(String(value))) problems.push(`'${q.id}' must be one of ${(q.options ?? []).join(', ')}`);
    if (q.kind === 'score' && !(typeof value === 'number' && value >= 0 && value <= 10)) problems.push(`'${q.id}' must be a score from 0 to 10`);
    if (q.kind === 'text' && typeof value !== 'string') problems.push(`'${q.id}' must be text`);
  }
  return problems;
}
