import type { PublicScore, UnitTicketMeasures } from '@urbanlink/db';
import { PUBLIC_SHARE, WORK_SHARE, workPerformance, type Formula, type WorkPerformance } from './formula.ts';

export type Mark = 'commended' | 'special_supervision' | null;

export interface UnitResult {
  unitId: number;
  unitName: string;
  measures: UnitTicketMeasures;
  work: WorkPerformance;
  publicScore: number | null;
  questionnaires: number;
  /** 30 % work performance + 70 % public evaluation; null when either is missing. */
  score: number | null;
  /** 1 for the best; null for a unit that cannot be scored. */
  rank: number | null;
  mark: Mark;
}

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/**
 * Scores and ranks the units: best first, ties broken by the public score, then by unit id so the order is
 * stable. The top `commend` are marked for commendation, the last `supervise` (never a commended one) for
 * special supervision; units without a score stay unranked at the end.
 */
export function rankUnits(
  units: ReadonlyArray<{ id: number; name: string }>,
  measures: readonly UnitTicketMeasures[],
  scores: readonly PublicScore[],
  formula: Formula,
  limits: { commend: number; supervise: number },
): UnitResult[] {
  const results = units.map((unit): UnitResult => {
    const m = measures.find((x) => x.unitId === unit.id)!;
    const p = scores.find((x) => x.unitId === unit.id);
    const work = workPerformance(m, formula);
    const publicScore = p?.meanScore ?? null;
    const score = work.score === null || publicScore === null ? null : WORK_SHARE * work.score + PUBLIC_SHARE * publicScore;
    return {
      unitId: unit.id, unitName: unit.name, measures: m,
      work: { score: round2(work.score), components: Object.fromEntries(Object.entries(work.components).map(([k, v]) => [k, round2(v)])) as WorkPerformance['components'] },
      publicScore: round2(publicScore), questionnaires: p?.questionnaires ?? 0, score: round2(score), rank: null, mark: null,
    };
  });
  const ranked = results.filter((r) => r.score !== null);
  ranked.sort((a, b) => b.score! - a.score! || (b.publicScore ?? 0) - (a.publicScore ?? 0) || a.unitId - b.unitId);
  ranked.forEach((r, i) => {
    r.rank = i + 1;
    if (i < limits.commend) r.mark = 'commended';
    else if (i >= ranked.length - limits.supervise) r.mark = 'special_supervision';
  });
  return [...ranked, ...results.filter((r) => r.score === null)];
}
