import { useEffect, useState } from 'preact/hooks';
import { currentToken } from '../api/client.ts';
import { currentLanguage } from '../i18n/i18n.ts';
import { ts } from '../i18n/stats-strings.ts';
import { useAsync, useLanguage } from './hooks.ts';

/**
 * The yearly enforcement evaluation (执法评议): a campaign's stages and deadlines, units yet to file their
 * ledgers, the public sessions and whether they count, and the ranking with the formula behind it. Every
 * count links to the tickets behind it; the printable report prints the whole campaign.
 */
interface Campaign {
  id: number;
  year: number;
  title: string;
  stages: Array<{ stage: string; startsAt: string; dueAt: string }>;
}
interface Session {
  id: number;
  title: string;
  heldAt: string;
  finalisedAt: string | null;
  raters: number;
  composition: Record<string, number>;
  check: { ok: boolean; reason?: string };
}
interface Reminder {
  stage: string;
  dueAt: string;
  unitId: number;
  unitName: string;
}
interface UnitResult {
  unitId: number;
  unitName: string;
  rank: number | null;
  mark: 'commended' | 'special_supervision' | null;
  score: number | null;
  publicScore: number | null;
  work: { score: number | null; components: Record<string, number | null> };
  measures: { due: number; closed: number; closedOnTime: number; reworked: number };
}
interface Results {
  formula: Record<string, number>;
  formulaText: { en: string; zh: string };
  results: UnitResult[];
}
interface TracedTicket {
  id: number;
  number: string;
  status: string;
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${currentToken() ?? ''}` } });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { message?: string }).message ?? response.statusText);
  return (await response.json()) as T;
}

const STAGES: Record<string, { en: string; zh: string }> = {
  mobilise: { en: 'Mobilise and deploy', zh: '动员部署' },
  self_inspection: { en: 'Self-inspection and correction', zh: '自查整改' },
  supervised_evaluation: { en: 'Supervised evaluation', zh: '督查评议' },
  summary: { en: 'Summary', zh: '总结' },
};
const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const day = (iso: string) => iso.slice(0, 10);

export function EvaluationView() {
  useLanguage();
  const lang = currentLanguage();
  const campaigns = useAsync(() => get<Campaign[]>('/api/evaluation/campaigns'), []);
  const [selected, setSelected] = useState<number | null>(null);
  const [trace, setTrace] = useState<{ title: string; tickets: TracedTicket[] } | null>(null);
  useEffect(() => {
    if (selected === null && campaigns.data?.[0]) setSelected(campaigns.data[0].id);
  }, [campaigns.data]);
  const campaign = campaigns.data?.find((c) => c.id === selected);
  const detail = useAsync(
    () =>
      selected === null
        ? Promise.resolve(undefined)
        : Promise.all([
            get<Results>(`/api/evaluation/campaigns/${selected}/results`),
            get<Session[]>(`/api/evaluation/campaigns/${selected}/sessions`),
            get<Reminder[]>(`/api/evaluation/campaigns/${selected}/reminders`),
          ]),
    [selected],
  );
  const [results, sessions, reminders] = detail.data ?? [];

  async function showTickets(unit: UnitResult, measure: string) {
    const answer = await get<{ tickets: TracedTicket[] }>(`/api/evaluation/campaigns/${selected}/units/${unit.unitId}/tickets?measure=${measure}`);
    setTrace({ title: `${unit.unitName} · ${measure}`, tickets: answer.tickets });
  }
  const count = (unit: UnitResult, measure: 'due' | 'closed' | 'closedOnTime' | 'reworked') => (
    <button class="link" onClick={() => void showTickets(unit, measure)}>{unit.measures[measure]}</button>
  );

  return (
    <section class="evaluation-view" data-testid="evaluation-view">
      <div class="card-head">
        <h2>{ts('eval.title')}</h2>
        {selected !== null && <a href={`/api/reports/evaluation/${selected}?token=${currentToken() ?? ''}`} target="_blank" rel="noopener">{ts('stats.print')}</a>}
      </div>
      {campaigns.error && <p class="error">{campaigns.error}</p>}
      {campaigns.data?.length === 0 && <p class="muted">{ts('eval.none')}</p>}
      <label>{ts('eval.campaign')}{' '}
        <select value={selected ?? ''} onChange={(e) => setSelected(Number(e.currentTarget.value))}>
          {campaigns.data?.map((c) => <option key={c.id} value={c.id}>{c.year} {c.title}</option>)}
        </select>
      </label>
      {detail.error && <p class="error">{detail.error}</p>}
      {campaign && (
        <>
          <h3>{ts('eval.stages')}</h3>
          <ol>{campaign.stages.map((s) => <li key={s.stage}>{STAGES[s.stage]?.[lang] ?? s.stage}: {day(s.startsAt)} – {day(s.dueAt)}</li>)}</ol>
        </>
      )}
      {reminders && reminders.length > 0 && (
        <>
          <h3>{ts('eval.reminders')}</h3>
          <ul>{reminders.map((r) => <li key={`${r.stage}-${r.unitId}`}>{r.unitName}: {STAGES[r.stage]?.[lang] ?? r.stage} ({day(r.dueAt)})</li>)}</ul>
        </>
      )}
      {sessions && (
        <>
          <h3>{ts('eval.sessions')}</h3>
          <table class="stats-table">
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id}>
                  <td>{s.title}</td><td>{day(s.heldAt)}</td><td>{ts('eval.raters')} {s.raters}</td>
                  <td>{Object.entries(s.composition).map(([k, n]) => `${k} ${n}`).join(' · ')}</td>
                  <td>{s.finalisedAt ? ts('eval.final') : ts('eval.open')}{s.check.ok ? '' : ` — ${s.check.reason}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {results && (
        <>
          <h3>{ts('eval.ranking')}</h3>
          <table class="stats-table">
            <thead>
              <tr>
                <th>{ts('eval.rank')}</th><th /><th>{ts('eval.score')}</th><th>{ts('eval.work')}</th><th>{ts('eval.public')}</th>
                <th>{ts('stats.due')}</th><th>{ts('stats.closed')}</th><th>{ts('stats.closedOnTime')}</th><th>{ts('stats.reworkRate')}</th><th />
              </tr>
            </thead>
            <tbody>
              {results.results.map((u) => (
                <tr key={u.unitId} class={u.mark ?? ''}>
                  <td>{u.rank ?? '—'}</td><td>{u.unitName}</td><td>{fmt(u.score)}</td><td>{fmt(u.work.score)}</td><td>{fmt(u.publicScore)}</td>
                  <td>{count(u, 'due')}</td><td>{count(u, 'closed')}</td><td>{count(u, 'closedOnTime')}</td><td>{count(u, 'reworked')}</td>
                  <td>{u.mark ? ts(`eval.${u.mark}`) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{ts('eval.formula')}</h3>
          <p>{results.formulaText[lang]}</p>
          <p>{Object.entries(results.formula).map(([k, w]) => `${k} ${w}`).join(' · ')}</p>
        </>
      )}
      {trace && (
        <>
          <h3>{ts('eval.trace')}: {trace.title}</h3>
          <ul>{trace.tickets.map((x) => <li key={x.id}>{x.number} ({x.status})</li>)}</ul>
        </>
      )}
    </section>
  );
}
