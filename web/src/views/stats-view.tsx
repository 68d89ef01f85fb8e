import { useState } from 'preact/hooks';
import { currentToken } from '../api/client.ts';
import type { Unit } from '../api/types.ts';
import { currentLanguage } from '../i18n/i18n.ts';
import { ts } from '../i18n/stats-strings.ts';
import { useAsync, useLanguage } from './hooks.ts';

/**
 * The statistics dashboard: headline rates with their published definitions, bar, pie and line charts, and
 * tables that export to CSV and Excel. Charts are plain SVG: a few dozen bars need no chart library.
 */
type Bilingual = { en: string; zh: string };
interface Counts {
  total: number;
  due: number;
  closed: number;
  closedOnTime: number;
  closureRate: number | null;
  onTimeRate: number | null;
  reworkRate: number | null;
}
interface TicketStats extends Counts {
  groups: Array<Counts & { key: string | null; label: string | null }>;
  definitions: Record<string, Bilingual>;
}
interface Duration {
  count: number;
  meanS: number | null;
  medianS: number | null;
  p90S: number | null;
}
interface Durations {
  stages: Record<string, Duration>;
  dispatchAck: Duration;
}
interface Satisfaction {
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  unreachable: number;
  satisfactionRate: number | null;
}
interface Workload {
  staff: Array<{ userId: number; username: string; name: string; registered: number; dispatched: number; handled: number; closed: number; followups: number }>;
}
interface Vehicles {
  days: Array<{ day: string; vehicles: number; distanceM: number }>;
  vehicles: Array<{ deviceId: number; name: string; plate: string | null; days: number; distanceM: number; movingS: number; onDutyS: number }>;
}
interface Cell {
  lat: number;
  lon: number;
  count: number;
  categoryName: string | null;
}
interface Hotspots {
  cells: Cell[];
  recurring: Cell[];
  cellDeg: number;
}

async function get<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${currentToken() ?? ''}` } });
  if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { message?: string }).message ?? response.statusText);
  return (await response.json()) as T;
}

async function download(path: string, name: string): Promise<void> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${currentToken() ?? ''}` } });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const hoursOf = (s: number | null) => (s === null ? '—' : (s / 3600).toFixed(2));

function BarChart({ items }: { items: Array<{ label: string; value: number }> }) {
  const max = Math.max(1, ...items.map((i) => i.value));
  return (
    <svg class="chart" viewBox={`0 0 400 ${items.length * 18 + 4}`} width="100%">
      {items.map((item, i) => (
        <g key={item.label} transform={`translate(0 ${i * 18})`}>
          <text x="118" y="13" text-anchor="end" font-size="11">{item.label.slice(0, 18)}</text>
          <rect x="122" y="3" height="12" width={(item.value / max) * 240} fill={COLOURS[0]} />
          <text x={126 + (item.value / max) * 240} y="13" font-size="10">{item.value}</text>
        </g>
      ))}
    </svg>
  );
}

function PieChart({ items }: { items: Array<{ label: string; value: number }> }) {
  const total = items.reduce((n, i) => n + i.value, 0) || 1;
  let angle = 0;
  const arc = (from: number, to: number) => {
    const p = (a: number) => `${60 + 55 * Math.sin(a * 2 * Math.PI)} ${60 - 55 * Math.cos(a * 2 * Math.PI)}`;
    return `M60 60 L${p(from)} A55 55 0 ${to - from > 0.5 ? 1 : 0} 1 ${p(to)} Z`;
  };
  return (
    <svg class="chart" viewBox="0 0 300 120" width="100%">
      {items.map((item, i) => {
        const from = angle;
        angle += item.value / total;
        return <path key={item.label} d={items.length === 1 ? 'M60 5 A55 55 0 1 1 59.9 5 Z' : arc(from, angle)} fill={COLOURS[i % COLOURS.length]} />;
      })}
      {items.map((item, i) => (
        <text key={item.label} x="130" y={14 + i * 14} font-size="11" fill={COLOURS[i % COLOURS.length]}>
          {item.label} {item.value} ({((100 * item.value) / total).toFixed(1)}%)
        </text>
      ))}
    </svg>
  );
}

function LineChart({ points }: { points: Array<{ x: string; y: number }> }) {
  if (points.length === 0) return null;
  const max = Math.max(1, ...points.map((p) => p.y));
  const step = points.length > 1 ? 380 / (points.length - 1) : 0;
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${10 + i * step} ${110 - (p.y / max) * 100}`).join(' ');
  return (
    <svg class="chart" viewBox="0 0 400 130" width="100%">
      <path d={path} fill="none" stroke={COLOURS[0]} stroke-width="1.5" />
      <text x="10" y="125" font-size="10">{points[0]!.x}</text>
      <text x="390" y="125" font-size="10" text-anchor="end">{points.at(-1)!.x}</text>
      <text x="10" y="10" font-size="10">{max}</text>
    </svg>
  );
}

/** Grid cells as squares shaded by their ticket count, north up; the console map can take the same cells. */
function HeatMap({ cells, cellDeg }: { cells: Cell[]; cellDeg: number }) {
  if (cells.length === 0) return null;
  const lats = cells.map((c) => c.lat);
  const lons = cells.map((c) => c.lon);
  const [south, north, west, east] = [Math.min(...lats), Math.max(...lats) + cellDeg, Math.min(...lons), Math.max(...lons) + cellDeg];
  const scale = 400 / Math.max(east - west, north - south);
  const max = Math.max(...cells.map((c) => c.count));
  return (
    <svg class="chart" viewBox={`0 0 ${(east - west) * scale} ${(north - south) * scale}`} width="100%">
      {cells.map((c) => (
        <rect key={`${c.lat},${c.lon}`} x={(c.lon - west) * scale} y={(north - c.lat - cellDeg) * scale} width={cellDeg * scale} height={cellDeg * scale}
          fill="#d62728" fill-opacity={0.15 + (0.85 * c.count) / max} />
      ))}
    </svg>
  );
}

function Exports({ path, name }: { path: string; name: string }) {
  const join = path.includes('?') ? '&' : '?';
  return (
    <span class="exports">
      <button onClick={() => void download(`${path}${join}format=csv`, `${name}.csv`)}>{ts('stats.csv')}</button>
      <button onClick={() => void download(`${path}${join}format=xlsx`, `${name}.xlsx`)}>{ts('stats.xlsx')}</button>
    </span>
  );
}

// Until the console's stylesheet has rules for these classes, the cards lay themselves out.
const CARD = { display: 'flex', flexDirection: 'column', minWidth: '110px', padding: '6px 10px', border: '1px solid #ccc', borderRadius: '4px' } as const;

const GROUPINGS = ['category', 'channel', 'unit', 'district', 'squad', 'day', 'week', 'month'] as const;
const localDate = (ms: number) => new Date(ms - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

export function StatsView({ units }: { units: Map<number, Unit> }) {
  useLanguage();
  const [from, setFrom] = useState(localDate(Date.now() - 30 * 86_400_000));
  const [to, setTo] = useState(localDate(Date.now() + 86_400_000));
  const [groupBy, setGroupBy] = useState<(typeof GROUPINGS)[number]>('category');
  const [unitId, setUnitId] = useState('');
  const period = `from=${new Date(`${from}T00:00:00`).toISOString()}&to=${new Date(`${to}T00:00:00`).toISOString()}${unitId ? `&unitId=${unitId}` : ''}`;
  const zh = currentLanguage() === 'zh';
  const data = useAsync(
    () =>
      Promise.all([
        get<TicketStats>(`/api/stats/tickets?${period}&groupBy=${groupBy}`),
        get<TicketStats>(`/api/stats/tickets?${period}&groupBy=day`),
        get<TicketStats>(`/api/stats/tickets?${period}&groupBy=channel`),
        get<Durations>(`/api/stats/durations?${period}`),
        get<Satisfaction>(`/api/stats/satisfaction?${period}`),
        get<Workload>(`/api/stats/workload?${period}`),
        get<Vehicles>(`/api/stats/vehicles?${period}`),
        get<Hotspots>(`/api/stats/hotspots?${period}`),
      ]),
    [period, groupBy],
  );
  const [stats, daily, channels, durations, satisfaction, workload, vehicles, hotspots] = data.data ?? [];

  return (
    <section class="stats-view" data-testid="stats-view">
      <div class="card-head">
        <h2>{ts('stats.title')}</h2>
        <a href={`/api/reports/stats?${period}&token=${currentToken() ?? ''}`} target="_blank" rel="noopener">{ts('stats.print')}</a>
      </div>
      <div class="filters">
        <label>{ts('stats.from')} <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
        <label>{ts('stats.to')} <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
        <label>{ts('stats.unit')}{' '}
          <select value={unitId} onChange={(e) => setUnitId(e.currentTarget.value)}>
            <option value="">{ts('stats.allUnits')}</option>
            {[...units.values()].map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </label>
        <label>{ts('stats.groupBy')}{' '}
          <select value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as typeof groupBy)}>
            {GROUPINGS.map((g) => <option key={g} value={g}>{g}</option>)}
          </select>
        </label>
      </div>
      {data.error && <p class="error">{data.error}</p>}
      {stats && (
        <>
          <div class="stat-cards" style={{ display: 'flex', flexWrap: 'wrap', gap: '8px' }}>
            {(['total', 'due', 'closed', 'closedOnTime'] as const).map((k) => <div key={k} class="stat-card" style={CARD}><b>{stats[k]}</b><span>{ts(`stats.${k}`)}</span></div>)}
            {(['closureRate', 'onTimeRate', 'reworkRate'] as const).map((k) => <div key={k} class="stat-card" style={CARD}><b>{pct(stats[k])}</b><span>{ts(`stats.${k}`)}</span></div>)}
            <div class="stat-card" style={CARD}><b>{pct(satisfaction?.satisfactionRate ?? null)}</b><span>{ts('stats.satisfaction')}</span></div>
          </div>
          <details>
            <summary>{ts('stats.definitions')}</summary>
            <ul>{Object.entries(stats.definitions).map(([k, d]) => <li key={k}>{zh ? d.zh : d.en}</li>)}</ul>
          </details>
          <h3>{ts('stats.groups')} <Exports path={`/api/stats/tickets?${period}&groupBy=${groupBy}`} name={`tickets-by-${groupBy}`} /></h3>
          <BarChart items={stats.groups.map((g) => ({ label: g.label ?? '—', value: g.total }))} />
          <table class="stats-table">
            <thead><tr><th /><th>{ts('stats.total')}</th><th>{ts('stats.due')}</th><th>{ts('stats.closed')}</th><th>{ts('stats.closureRate')}</th><th>{ts('stats.onTimeRate')}</th></tr></thead>
            <tbody>{stats.groups.map((g) => <tr key={g.key}><td>{g.label ?? '—'}</td><td>{g.total}</td><td>{g.due}</td><td>{g.closed}</td><td>{pct(g.closureRate)}</td><td>{pct(g.onTimeRate)}</td></tr>)}</tbody>
          </table>
        </>
      )}
      {daily && <><h3>{ts('stats.volume')}</h3><LineChart points={daily.groups.map((g) => ({ x: g.key ?? '', y: g.total }))} /></>}
      {channels && <><h3>{ts('stats.channels')}</h3><PieChart items={channels.groups.map((g) => ({ label: g.label ?? '—', value: g.total }))} /></>}
      {satisfaction && (
        <>
          <h3>{ts('stats.followups')} <Exports path={`/api/stats/satisfaction?${period}`} name="satisfaction" /></h3>
          <PieChart items={[
            { label: zh ? '满意' : 'satisfied', value: satisfaction.satisfied },
            { label: zh ? '基本满意' : 'basically satisfied', value: satisfaction.basicallySatisfied },
            { label: zh ? '不满意' : 'dissatisfied', value: satisfaction.dissatisfied },
            { label: zh ? '未接通' : 'unreachable', value: satisfaction.unreachable },
          ]} />
        </>
      )}
      {durations && (
        <>
          <h3>{ts('stats.durations')} <Exports path={`/api/stats/durations?${period}`} name="durations" /></h3>
          <table class="stats-table">
            <thead><tr><th /><th>n</th><th>mean h</th><th>median h</th><th>p90 h</th></tr></thead>
            <tbody>
              {Object.entries({ ...durations.stages, ack: durations.dispatchAck }).map(([stage, d]) => (
                <tr key={stage}><td>{stage}</td><td>{d.count}</td><td>{hoursOf(d.meanS)}</td><td>{hoursOf(d.medianS)}</td><td>{hoursOf(d.p90S)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {workload && (
        <>
          <h3>{ts('stats.workload')} <Exports path={`/api/stats/workload?${period}`} name="workload" /></h3>
          <table class="stats-table">
            <tbody>{workload.staff.slice(0, 50).map((s) => <tr key={s.userId}><td>{s.name}</td><td>{s.registered}</td><td>{s.dispatched}</td><td>{s.handled}</td><td>{s.closed}</td><td>{s.followups}</td></tr>)}</tbody>
          </table>
        </>
      )}
      {vehicles && (
        <>
          <h3>{ts('stats.vehicles')} <Exports path={`/api/stats/vehicles?${period}`} name="vehicles" /></h3>
          <LineChart points={vehicles.days.map((d) => ({ x: d.day, y: Math.round(d.distanceM / 1000) }))} />
          <table class="stats-table">
            <thead><tr>{(['vehicle', 'plate', 'daysReporting', 'distanceKm', 'movingH', 'onDutyH'] as const).map((k) => <th key={k}>{ts(`stats.${k}`)}</th>)}</tr></thead>
            <tbody>{vehicles.vehicles.slice(0, 50).map((v) => (
              <tr key={v.deviceId}><td>{v.name}</td><td>{v.plate ?? '—'}</td><td>{v.days}</td><td>{(v.distanceM / 1000).toFixed(1)}</td><td>{hoursOf(v.movingS)}</td><td>{hoursOf(v.onDutyS)}</td></tr>
            ))}</tbody>
          </table>
        </>
      )}
      {hotspots && (
        <>
          <h3>{ts('stats.hotspots')} <Exports path={`/api/stats/hotspots?${period}`} name="hotspots" /></h3>
          <HeatMap cells={hotspots.cells} cellDeg={hotspots.cellDeg} />
          <table class="stats-table">
            <tbody>{hotspots.recurring.slice(0, 30).map((h) => (
              <tr key={`${h.lat},${h.lon},${h.categoryName}`}><td>{(h.lat + hotspots.cellDeg / 2).toFixed(4)}, {(h.lon + hotspots.cellDeg / 2).toFixed(4)}</td><td>{h.categoryName}</td><td>{h.count}</td></tr>
            ))}</tbody>
          </table>
        </>
      )}
    </section>
  );
}
