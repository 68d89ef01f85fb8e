import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { CreatedTicket, Nearest, Unit } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import type { LiveFeed } from '../live/feed.ts';
import type { MapStack } from '../map/stack.ts';
import { formatTime } from './format.ts';
import { useAsync, useLanguage } from './hooks.ts';
import { Photos } from './photos.tsx';
import { DispatchCard, type DispatchOrder } from './ticket-dispatch.tsx';
import { TicketReplies, TicketTimeline } from './ticket-history.tsx';

// While a ticket is open the dispatcher watches for the terminal's answer and the arrival: re-read it often.
const REFRESH_MS = 3_000;
// Steps with their own controls here (dispatch, merge) are not offered as plain moves.
const OWN_CONTROLS = new Set(['dispatched', 'merged']);

interface Props {
  id: number;
  duplicates: CreatedTicket['duplicates'];
  feed: LiveFeed;
  stack: MapStack | null;
  units: Map<number, Unit>;
  onOpen: (id: number) => void;
  onBack: () => void;
}

export function TicketDetailView({ id, duplicates, feed, stack, units, onOpen, onBack }: Props) {
  useLanguage();
  const ticket = useAsync(() => api.ticket(id), [id]);
  const [nearest, setNearest] = useState<Nearest[] | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const data = ticket.data;

  useEffect(() => {
    const timer = setInterval(ticket.reload, REFRESH_MS);
    const off = feed.onTicket((changed) => changed === id && ticket.reload());
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
    // The lines to the nearest vehicles help choose one; once a vehicle has the order they would only clutter.
    stack.markers.update({
      ticket: { lat: data.lat, lon: data.lon, label: data.number },
      nearest: data.deviceId === null ? (nearest ?? []).map((n) => ({ lat: n.position.lat, lon: n.position.lon, label: n.plate ?? n.name })) : [],
    });
  }, [data?.id, data?.deviceId, nearest, stack]);

  useEffect(() => {
    if (data && stack) stack.map.flyTo(data.lon, data.lat, 14);
  }, [data?.id, stack]);

  function vehicleName(deviceId: number | null): string {
    if (deviceId === null) return t('app.none');
    const vehicle = feed.differ.vehicles.get(deviceId);
    return vehicle ? vehicle.plate || vehicle.name : `#${deviceId}`;
  }

  async function act(run: () => Promise<unknown>): Promise<boolean> {
    setError('');
    try {
      await run();
      ticket.reload();
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
  }

  // One click: a ticket still at intake is accepted (立案) on the way, as the workflow requires.
  async function dispatch(order: DispatchOrder) {
    await act(async () => {
      if (data?.status === 'registered') await api.transitionTicket(id, 'accepted');
      await api.dispatchTicket(id, order);
    });
    if (order.deviceId) void feed.reloadDevice(order.deviceId).catch(() => undefined);
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

  const moves = data.nextStates.filter((s) => !OWN_CONTROLS.has(s));
  const canDispatch = data.status === 'registered' || data.nextStates.includes('dispatched');
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
        <dd>{data.categoryName}</dd>
        <dt>{t('ticket.description')}</dt>
        <dd>{data.description}</dd>
        <dt>{t('ticket.address')}</dt>
        <dd>{data.address || `${data.lat.toFixed(5)}, ${data.lon.toFixed(5)}`}</dd>
        <dt>{t('ticket.phone')}</dt>
        <dd>{data.reporterPhone || t('app.none')}</dd>
        <dt>{t('ticket.created.at')}</dt>
        <dd>{formatTime(data.registeredAt)}</dd>
        <dt>{t('ticket.due')}</dt>
        <dd>{formatTime(data.dueAt)}</dd>
        <dt>{t('ticket.unit')}</dt>
        <dd>{data.unitName ?? t('app.none')}</dd>
        <dt>{t('ticket.vehicle')}</dt>
        <dd data-testid="ticket-vehicle">{vehicleName(data.deviceId)}</dd>
        <dt>{t('ticket.terminalAck')}</dt>
        <dd data-testid="ticket-ack">{data.dispatchCommand?.status ? label('command', data.dispatchCommand.status) : t('app.none')}</dd>
        <dt>{t('ticket.arrival')}</dt>
        <dd data-testid="ticket-arrival">{data.arrivedAt ? t('ticket.arrivedAt', { time: formatTime(data.arrivedAt) }) : t('ticket.notArrived')}</dd>
        {data.result && (
          <>
            <dt>{t('ticket.result')}</dt>
            <dd>{data.result}</dd>
          </>
        )}
      </dl>

      {data.planSteps.length > 0 && (
        <div class="card">
          <h3>{t('ticket.plan')}</h3>
          <ul class="checklist">
            {data.planSteps.map((step) => (
              <li key={step.position}>
                <label class="check">
                  <input
                    type="checkbox"
                    checked={step.doneAt !== null}
                    disabled={step.doneAt !== null}
                    onChange={() => void act(() => api.completePlanStep(id, step.position))}
                  />
                  {step.title}
                  {step.unitId !== null && <span class="muted">{units.get(step.unitId)?.name}</span>}
                </label>
              </li>
            ))}
          </ul>
        </div>
      )}

      {canDispatch && <DispatchCard nearest={nearest} units={units} onDispatch={(order) => void dispatch(order)} />}

      {moves.length > 0 && (
        <div class="card">
          <h3>{t('ticket.moveTo')}</h3>
          <input aria-label={t('ticket.note')} placeholder={t('ticket.note')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          <div class="row">
            {moves.map((to) => (
              <button key={to} onClick={() => void act(() => api.transitionTicket(id, to, note.trim() || undefined)).then((ok) => ok && setNote(''))}>
                {label('status', to)}
              </button>
            ))}
          </div>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}

      {duplicates.length > 0 && (
        <div class="card">
          <h3>{t('ticket.duplicates')}</h3>
          <ul>
            {duplicates.map((d) => (
              <li key={d.id} class="row">
                <button class="link" onClick={() => onOpen(d.id)}>
                  {d.number}
                </button>
                <span class="muted">{t('ticket.distanceM', { m: Math.round(d.distanceMeters) })}</span>
                <button onClick={() => void act(() => api.mergeTicket(id, d.id)).then((ok) => ok && onOpen(d.id))}>{t('ticket.merge')}</button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <Photos ticketId={id} attachments={data.attachments} onUploaded={ticket.reload} />

      <TicketReplies
        replies={data.replies}
        onReply={(method, text) => act(() => api.replyToCitizen(id, method, text))}
      />
      <TicketTimeline ticket={data} />
    </section>
  );
}
