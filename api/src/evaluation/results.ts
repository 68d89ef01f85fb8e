import { listUnits, publicScores, unitTicketMeasures, type Campaign, type SqlExecutor } from '@urbanlink/db';
import { zonedToUtc } from '../tickets/zoned-time.ts';
import { FORMULA_TEXT, formulaOf, type Formula } from './formula.ts';
import { rankUnits, type UnitResult } from './ranking.ts';

export interface YearWindow {
  fromMs: number;
  toMs: number;
  asOfMs: number;
}

/** The campaign's year in the bureau's zone; closures count up to its end, or now while it runs. */
export function yearWindow(year: number, timeZone: string, nowMs: number): YearWindow {
  const fromMs = zonedToUtc(`${year}-01-01`, 0, timeZone);
  const toMs = zonedToUtc(`${year + 1}-01-01`, 0, timeZone);
  return { fromMs, toMs, asOfMs: Math.min(toMs, nowMs) };
}

export interface CampaignResults {
  campaignId: number;
  year: number;
  from: string;
  to: string;
  asOf: string;
  formula: Formula;
  formulaText: typeof FORMULA_TEXT;
  results: UnitResult[];
}

export async function campaignResults(db: SqlExecutor, campaign: Campaign, timeZone: string, nowMs: number): Promise<CampaignResults> {
  const w = yearWindow(campaign.year, timeZone, nowMs);
  const [units, measures, scores] = await Promise.all([
    listUnits(db),
    unitTicketMeasures(db, w, campaign.unitIds),
    publicScores(db, campaign.id),
  ]);
  const evaluated = units.filter((u) => campaign.unitIds.includes(u.id)).map((u) => ({ id: u.id, name: u.name }));
  const formula = formulaOf(campaign.formula);
  return {
    campaignId: campaign.id,
    year: campaign.year,
    from: new Date(w.fromMs).toISOString(),
    to: new Date(w.toMs).toISOString(),
    asOf: new Date(w.asOfMs).toISOString(),
    formula,
    formulaText: FORMULA_TEXT,
    results: rankUnits(evaluated, measures, scores, formula, { commend: campaign.commendCount, supervise: campaign.superviseCount }),
  };
}
