import type { UnitTicketMeasures } from '@urbanlink/db';

/**
 * Work performance (工作实绩) out of 100, from the year's tickets: a weighted mean of components, each out of
 * 100. The weights are the campaign's published formula; a component without data (no due tickets, no
 * follow-up reached) drops out and the rest are re-weighted, so a unit is not marked down for the absence of
 * complaints.
 */
export const FORMULA_COMPONENTS = ['onTimeRate', 'closureRate', 'rework', 'satisfaction'] as const;
export type FormulaComponent = (typeof FORMULA_COMPONENTS)[number];
export type Formula = Record<FormulaComponent, number>;

export const DEFAULT_FORMULA: Formula = { onTimeRate: 40, closureRate: 30, rework: 15, satisfaction: 15 };

export const FORMULA_TEXT = {
  en: 'work performance = Σ weight × component ÷ Σ weight over the components with data; components out of 100: on-time closure rate × 100, closure rate × 100, (1 − rework rate) × 100, satisfaction rate × 100. Score = 30 % work performance + 70 % public evaluation.',
  zh: '工作实绩 = Σ(权重 × 分项得分) ÷ Σ权重（只计有数据的分项）；分项满分 100：按期结案率 × 100、结案率 × 100、(1 − 返工率) × 100、满意率 × 100。总分 = 工作实绩 × 30% + 公众评议 × 70%。',
} as const;

export const WORK_SHARE = 0.3;
export const PUBLIC_SHARE = 0.7;

export interface WorkPerformance {
  /** Null when no component has data. */
  score: number | null;
  components: Record<FormulaComponent, number | null>;
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? (100 * part) / whole : null;
}

export function componentsOf(m: UnitTicketMeasures): Record<FormulaComponent, number | null> {
  const reached = m.satisfied + m.basicallySatisfied + m.dissatisfied;
  return {
    onTimeRate: share(m.closedOnTime, m.due),
    closureRate: share(m.closed, m.due),
    rework: m.closed > 0 ? 100 - (100 * Math.min(m.reworked, m.closed)) / m.closed : null,
    satisfaction: share(m.satisfied + m.basicallySatisfied, reached),
  };
}

export function workPerformance(m: UnitTicketMeasures, formula: Formula): WorkPerformance {
  const components = componentsOf(m);
  let weighted = 0;
  let weights = 0;
  for (const name of FORMULA_COMPONENTS) {
    const value = components[name];
    if (value === null || formula[name] <= 0) continue;
    weighted += formula[name] * value;
    weights += formula[name];
  }
  return { score: weights > 0 ? weighted / weights : null, components };
}

/** A stored formula with any missing weight taken from the default (a campaign created before a new component). */
export function formulaOf(stored: Record<string, number>): Formula {
  return Object.fromEntries(FORMULA_COMPONENTS.map((name) => [name, stored[name] ?? DEFAULT_FORMULA[name]])) as Formula;
}
