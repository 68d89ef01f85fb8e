import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { DispatchMethod, Nearest, Ticket, Unit } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import type { LiveFeed } from '../live/feed.ts';
import type { MapStack } from '../map/stack.ts';
import { formatTime } from './format.ts';
import { useAsync, useLanguage } from './hooks.ts';
import { STATUSES } from './ticket-states.ts';

const METHODS: DispatchMethod[] = ['terminal', 'phone', 'email', 'none'];
// While a ticket is open the dispatcher watches for the terminal's answer and the arrival: re-read it often.
const REFRESH_MS = 3_000;
const MOVES = STATUSES.filter((s) => s !== 'dispatched' && s !== 'merged' && s !== 'registered');

interface Props {
  id: number;
  feed: LiveFeed;
  stack: MapStack | null;
  units: Map<number, Unit>;
  onBack: () => void;
}

export function TicketDetail({ id, feed, stack, units, onBack }: Props) {
  useLanguage();
  const ticket = useAsync(() => api.ticket(id), [id]);
  const [nearest, setNearest] = useState<Nearest[] | null>(null);
  const [method, setMethod] = useState<DispatchMethod>('terminal');
  const [unitId, setUnitId] = useState('');
  const [move, setMove] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const data = ticket.data;

  useEffect(() => {
    const timer = setInterval(ticket.reload, REFRESH_MS);
    const off = feed.onTicket((changed) => changed.id === id && ticket.reload());
    return () => {
      clearInterval(timer);
      off();
    };
  }, [id]);

  useEffect(() => {
    if (!data) return;
    api.nearest(data.lat, data.lon, 5).then(setNearest, () => setNearest([]));
  }, [data?.id, data?.status]);

  useEffect(() => {
    if (!data || !stack) return;
    stack.markers.update({
      ticket: { lat: data.lat, lon: data.lon, label: data.number },
      nearest: (nearest ?? []).map((n) => ({ lat: n.position.lat, lon: n.position.lon, label: vehicleName(n.deviceId) })),
    });
  }, [data?.id, nearest, stack]);

  useEffect(() => {
    if (data && stack) stack.map.flyTo(data.lon, data.lat, 14);
  }, [data?.id, stack]);

  function vehicleName(deviceId: number | null | undefined): string {
    if (deviceId === null || deviceId === undefined) return t('app.none');
    const vehicle = feed.differ.vehicles.get(deviceId);
    return vehicle ? vehicle.plate || vehicle.name : `#${deviceId}`;
  }

  async function act(run: () => Promise<Ticket>) {
    setError('');
    try {
      await run();
      ticket.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function dispatchTo(vehicle: Nearest) {
    const unit = feed.differ.vehicles.get(vehicle.deviceId)?.unitId ?? undefined;
    await act(() => api.dispatchTicket(id, { deviceId: vehicle.deviceId, ...(unit ? { unitId: unit } : {}), method }));
    void feed.reloadDevice(vehicle.deviceId).catch(() => undefined);
  }

  if (!data) {
    return (
      <section>
        <button class="link" onClick={onBack}>
          ← {t('ticket.queue')}
        </button>
        <p class={ticket.error ? 'error' : 'muted'}>{ticket.error ? t('app.error', { message: ticket.error }) : t('app.loading')}</p>
      </section>
    );
  }

  return (
    <section class="ticket-detail" data-testid="ticket-detail">
      <button class="link" onClick={onBack}>
        ← {t('ticket.queue')}
      </button>
      <div class="card-head">
        <h2 data-testid="ticket-number">{data.number}</h2>
        <span class={`badge status-${data.status}`} data-testid="ticket-status">
          {label('status', data.status)}
        </span>
        {data.overdue && <span class="badge overdue">{t('ticket.overdue')}</span>}
      </div>
      <dl>
        <dt>{t('ticket.category')}</dt>
        <dd>{label('category', data.category)}</dd>
        <dt>{t('ticket.description')}</dt>
        <dd>{data.description}</dd>
        <dt>{t('ticket.address')}</dt>
        <dd>{data.address || `${data.lat.toFixed(5)}, ${data.lon.toFixed(5)}`}</dd>
        <dt>{t('ticket.phone')}</dt>
        <dd>{data.reporterPhone || t('app.none')}</dd>
        <dt>{t('ticket.created.at')}</dt>
        <dd>{formatTime(data.createdAt)}</dd>
        <dt>{t('ticket.due')}</dt>
        <dd>{formatTime(data.dueAt)}</dd>
        <dt>{t('ticket.unit')}</dt>
        <dd>{data.unitId ? (units.get(data.unitId)?.name ?? `#${data.unitId}`) : t('app.none')}</dd>
        <dt>{t('ticket.vehicle')}</dt>
        <dd data-testid="ticket-vehicle">{vehicleName(data.deviceId)}</dd>
        <dt>{t('ticket.terminalAck')}</dt>
        <dd data-testid="ticket-ack">{data.commandStatus ? label('command', data.commandStatus) : t('app.none')}</dd>
        <dt>{t('ticket.arrival')}</dt>
        <dd data-testid="ticket-arrival">{data.arrivedAt ? t('ticket.arrivedAt', { time: formatTime(data.arrivedAt) }) : t('ticket.notArrived')}</dd>
        {data.result && (
          <>
            <dt>{t('ticket.reply')}</dt>
            <dd>{data.result}</dd>
          </>
        )}
      </dl>

      {data.plan && (
        <div class="card">
          <h3>{t('ticket.plan', { name: data.plan.name })}</h3>
          <ul class="checklist">
            {data.plan.steps.map((step) => (
              <li key={step.id}>
                <label class="check">
                  <input type="checkbox" checked={step.done} onChange={(e) => void act(() => api.tickPlanStep(id, step.id, e.currentTarget.checked))} />
                  {step.text}
                </label>
              </li>
            ))}
          </ul>
        </div>
      )}

      <div class="card">
        <h3>{t('ticket.nearest')}</h3>
        <label>
          {t('ticket.dispatchMethod')}
          <select value={method} onChange={(e) => setMethod(e.currentTarget.value as DispatchMethod)}>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {label('method', m)}
              </option>
            ))}
          </select>
        </label>
        {nearest?.length === 0 && <p class="muted">{t('ticket.nearestEmpty')}</p>}
        <ul class="nearest" data-testid="nearest">
          {nearest?.map((n) => (
            <li key={n.deviceId}>
              <span class="plate">{vehicleName(n.deviceId)}</span>
              <span class="muted">
                {t('ticket.distance', { km: (n.distanceMeters / 1000).toFixed(2) })}
                {n.etaSeconds ? ` · ${t('ticket.eta', { minutes: Math.ceil(n.etaSeconds / 60) })}` : ''}
              </span>
              <button class="primary" onClick={() => void dispatchTo(n)}>
                {t('ticket.dispatch')}
              </button>
            </li>
          ))}
        </ul>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (unitId) void act(() => api.dispatchTicket(id, { unitId: Number(unitId), method }));
          }}
        >
          <select aria-label={t('ticket.unit')} value={unitId} onChange={(e) => setUnitId(e.currentTarget.value)}>
            <option value="">{t('ticket.unit')}</option>
            {[...units.values()].map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={!unitId}>
            {t('ticket.dispatch')}
          </button>
        </form>
      </div>

      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (move) void act(() => api.transitionTicket(id, move, note.trim() || undefined)).then(() => setNote(''));
        }}
      >
        <h3>{t('ticket.moveTo')}</h3>
        <div class="row">
          <select aria-label={t('ticket.moveTo')} value={move} onChange={(e) => setMove(e.currentTarget.value)}>
            <option value="" />
            {MOVES.map((s) => (
              <option key={s} value={s}>
                {label('status', s)}
              </option>
            ))}
          </select>
          <input aria-label={t('ticket.note')} placeholder={t('ticket.note')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <button type="submit" disabled={!move}>
            {t('ticket.moveTo')}
          </button>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}

      {(data.duplicates?.length ?? 0) > 0 && (
        <div class="card">
          <h3>{t('ticket.duplicates')}</h3>
          <ul>
            {data.duplicates!.map((d) => (
              <li key={d.id} class="row">
                <span>
                  <strong>{d.number}</strong> {d.description}
                </span>
                <button onClick={() => void act(() => api.mergeTicket(id, d.id))}>{t('ticket.merge')}</button>
              </li>
            ))}
          </ul>
        </div>
      )}

      {(data.photos?.length ?? 0) > 0 && (
        <div class="card">
          <h3>{t('ticket.photos')}</h3>
          <div class="photos">
            {data.photos!.map((p) => (
              <a key={p.url} href={p.url} target="_blank" rel="noreferrer">
                <img src={p.url} alt="" loading="lazy" />
              </a>
            ))}
          </div>
        </div>
      )}

      <div class="card">
        <h3>{t('ticket.timeline')}</h3>
        <ol class="timeline" data-testid="timeline">
          {(data.timeline ?? []).map((entry, i) => (
            <li key={i}>
              <span class="muted">{formatTime(entry.at)}</span> {entry.to ? label('status', entry.to) : entry.action} {entry.by ? `· ${entry.by}` : ''}
              {entry.note && <div class="desc">{entry.note}</div>}
            </li>
          ))}
        </ol>
      </div>

      {(data.followUps?.length ?? 0) > 0 && (
        <div class="card">
          <h3>{t('ticket.followUps')}</h3>
          <ul>
            {data.followUps!.map((f) => (
              <li key={f.id}>
                {formatTime(f.dueAt)} · {f.method ? label('method', f.method) : ''} · {f.status} {f.result ?? ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
