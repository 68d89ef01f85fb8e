import { describe, expect, it } from 'vitest';
import type { UnitTicketMeasures } from '@urbanlink/db';
import { DEFAULT_FORMULA, workPerformance } from '../src/evaluation/formula.ts';
import { rankUnits } from '../src/evaluation/ranking.ts';
import { checkSession } from '../src/evaluation/sessions.ts';

const measures = (unitId: number, m: Partial<UnitTicketMeasures> = {}): UnitTicketMeasures => ({
  unitId, total: 0, due: 0, closed: 0, closedOnTime: 0, overdueOpen: 0, reworked: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, unreachable: 0, ...m,
});

describe('evaluation rules', () => {
  it('admits a session of exactly 50 raters with exactly 70 % from the public, and no fewer', () => {
    expect(checkSession({ citizen: 20, managed_party: 15, supervisor: 10, official: 5 })).toMatchObject({ ok: true, raters: 50, publicShare: 0.7 });
    expect(checkSession({ citizen: 20, managed_party: 14, supervisor: 10, official: 6 })).toMatchObject({ ok: false, reason: expect.stringContaining('34 of 50 raters (68 %)') });
    expect(checkSession({ citizen: 49, managed_party: 0, supervisor: 0, official: 0 })).toMatchObject({ ok: false, reason: expect.stringContaining('不足 50 人') });
  });

  it('weighs only the components with data, and counts unreachable citizens in no satisfaction', () => {
    const work = workPerformance(measures(1, { due: 10, closed: 8, closedOnTime: 6, reworked: 2, satisfied: 3, dissatisfied: 1, unreachable: 5 }), DEFAULT_FORMULA);
    expect(work.components).toEqual({ onTimeRate: 60, closureRate: 80, rework: 75, satisfaction: 75 });
    expect(work.score).toBeCloseTo((40 * 60 + 30 * 80 + 15 * 75 + 15 * 75) / 100);
    expect(workPerformance(measures(2), DEFAULT_FORMULA).score).toBeNull();
  });

  it('never marks one unit both commended and under supervision, and leaves unscored units unranked', () => {
    const units = [{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }];
    const m = units.map((u) => measures(u.id, { due: 1, closed: 1, closedOnTime: 1 }));
    const ranked = rankUnits(units, m, [{ unitId: 1, meanScore: 70, questionnaires: 50, sessions: 1 }, { unitId: 2, meanScore: 90, questionnaires: 50, sessions: 1 }], DEFAULT_FORMULA, { commend: 1, supervise: 5 });
    expect(ranked.map((r) => [r.unitId, r.rank, r.mark])).toEqual([[2, 1, 'commended'], [1, 2, 'special_supervision'], [3, null, null]]);
  });
});
