import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { TicketFilter, Unit } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import type { LiveFeed } from '../live/feed.ts';
import type { MapStack } from '../map/stack.ts';
import { formatTime } from './format.ts';
import { useAsync, useLanguage } from './hooks.ts';
import { CATEGORIES, TicketForm } from './ticket-form.tsx';
import { TicketDetail } from './ticket-detail.tsx';
import { STATUSES } from './ticket-states.ts';

type Mode = { kind: 'queue' } | { kind: 'new'; phone: string } | { kind: 'detail'; id: number };

interface Props {
  feed: LiveFeed;
  stack: MapStack | null;
  units: Map<number, Unit>;
  active: boolean;
  focus: number | null;
}

export function TicketsView({ feed, stack, units, active, focus }: Props) {
  useLanguage();
  const [filter, setFilter] = useState<TicketFilter>({});
  const [mode, setMode] = useState<Mode>({ kind: 'queue' });
  const tickets = useAsync(() => api.tickets(filter), [filter]);

  useEffect(() => {
    if (focus !== null) setMode({ kind: 'detail', id: focus });
  }, [focus]);
  useEffect(() => feed.onTicket(() => tickets.reload()), []);
  // The telephony hook: a ringing call opens the form with the caller's number, which pops their history.
  useEffect(() => feed.onCall((phone) => setMode({ kind: 'new', phone })), []);
  useEffect(() => {
    if (!active || mode.kind === 'detail') return;
    stack?.markers.update({});
  }, [active, mode.kind, stack]);

  if (mode.kind === 'new') {
    return (
      <TicketForm
        stack={stack}
        initialPhone={mode.phone}
        onCancel={() => setMode({ kind: 'queue' })}
        onCreated={(ticket) => {
          tickets.reload();
          setMode({ kind: 'detail', id: ticket.id });
        }}
      />
    );
  }
  if (mode.kind === 'detail') {
    return <TicketDetail id={mode.id} feed={feed} stack={stack} units={units} onBack={() => (tickets.reload(), setMode({ kind: 'queue' }))} />;
  }

  const set = (patch: Partial<TicketFilter>) => setFilter({ ...filter, ...patch });
  return (
    <section class="tickets-view">
      <div class="card-head">
        <h2>{t('ticket.queue')}</h2>
        <button class="primary" onClick={() => setMode({ kind: 'new', phone: '' })} data-testid="new-ticket">
          {t('ticket.new')}
        </button>
      </div>
      <div class="filters">
        <select aria-label={t('ticket.status')} value={filter.status ?? ''} onChange={(e) => set({ status: e.currentTarget.value || undefined })}>
          <option value="">
            {t('ticket.status')}: {t('ticket.all')}
          </option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {label('status', s)}
            </option>
          ))}
        </select>
        <select aria-label={t('ticket.unit')} value={filter.unitId ?? ''} onChange={(e) => set({ unitId: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })}>
          <option value="">
            {t('ticket.unit')}: {t('ticket.all')}
          </option>
          {[...units.values()].map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <select aria-label={t('ticket.category')} value={filter.category ?? ''} onChange={(e) => set({ category: e.currentTarget.value || undefined })}>
          <option value="">
            {t('ticket.category')}: {t('ticket.all')}
          </option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {label('category', c)}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={filter.overdue === true} onChange={(e) => set({ overdue: e.currentTarget.checked || undefined })} />
          {t('ticket.overdueOnly')}
        </label>
      </div>
      {tickets.error && <p class="error">{t('app.error', { message: tickets.error })}</p>}
      {tickets.data?.length === 0 && <p class="muted">{t('ticket.empty')}</p>}
      <ul class="ticket-list" data-testid="ticket-list">
        {tickets.data?.map((ticket) => (
          <li key={ticket.id}>
            <button class="ticket-row" onClick={() => setMode({ kind: 'detail', id: ticket.id })}>
              <span class="plate">{ticket.number}</span>
              <span class={`badge status-${ticket.status}`}>{label('status', ticket.status)}</span>
              {ticket.overdue && <span class="badge overdue">{t('ticket.overdue')}</span>}
              <span class="muted">
                {label('category', ticket.category)} · {formatTime(ticket.createdAt)}
              </span>
              <span class="desc">{ticket.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
