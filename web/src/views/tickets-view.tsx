import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Category, CreatedTicket, TicketFilter, Unit } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import type { LiveFeed } from '../live/feed.ts';
import type { MapStack } from '../map/stack.ts';
import { formatTime } from './format.ts';
import { useAsync, useLanguage } from './hooks.ts';
import { TicketForm } from './ticket-form.tsx';
import { TicketDetailView } from './ticket-detail.tsx';
import { STATUSES } from './ticket-states.ts';

type Mode = { kind: 'queue' } | { kind: 'new'; phone: string; ringing: boolean } | { kind: 'detail'; id: number; duplicates?: CreatedTicket['duplicates'] };

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
  // The API filters by status, category and overdue; the unit is narrowed here, within what the user may see.
  const [unitId, setUnitId] = useState<number | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: 'queue' });
  const [categories, setCategories] = useState<Category[]>([]);
  const tickets = useAsync(() => api.tickets(filter), [filter]);

  useEffect(() => {
    api.categories().then((list) => setCategories(list.filter((c) => c.active)), () => undefined);
  }, []);
  useEffect(() => {
    if (focus !== null) setMode({ kind: 'detail', id: focus });
  }, [focus]);
  useEffect(() => feed.onTicket(() => tickets.reload()), []);
  // The telephony hook: a ringing call opens the form with the caller's number, which pops their history.
  useEffect(() => feed.onCall((phone) => setMode({ kind: 'new', phone, ringing: true })), []);
  useEffect(() => {
    if (active && mode.kind === 'queue') stack?.markers.update({});
  }, [active, mode.kind, stack]);

  if (mode.kind === 'new') {
    return (
      <TicketForm
        stack={stack}
        categories={categories}
        initialPhone={mode.phone}
        ringing={mode.ringing}
        onCancel={() => setMode({ kind: 'queue' })}
        onCreated={(ticket) => {
          tickets.reload();
          setMode({ kind: 'detail', id: ticket.id, duplicates: ticket.duplicates });
        }}
      />
    );
  }
  if (mode.kind === 'detail') {
    return (
      <TicketDetailView
        id={mode.id}
        duplicates={mode.duplicates ?? []}
        feed={feed}
        stack={stack}
        units={units}
        onOpen={(id) => setMode({ kind: 'detail', id })}
        onBack={() => {
          tickets.reload();
          setMode({ kind: 'queue' });
        }}
      />
    );
  }

  const set = (patch: Partial<TicketFilter>) => setFilter({ ...filter, ...patch });
  const shown = (tickets.data ?? []).filter((ticket) => unitId === null || ticket.unitId === unitId);
  return (
    <section class="tickets-view">
      <div class="card-head">
        <h2>{t('ticket.queue')}</h2>
        <button class="primary" onClick={() => setMode({ kind: 'new', phone: '', ringing: false })} data-testid="new-ticket">
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
        <select aria-label={t('ticket.unit')} value={unitId ?? ''} onChange={(e) => setUnitId(e.currentTarget.value ? Number(e.currentTarget.value) : null)}>
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
          {categories.map((c) => (
            <option key={c.id} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={filter.overdue === true} onChange={(e) => set({ overdue: e.currentTarget.checked || undefined })} />
          {t('ticket.overdueOnly')}
        </label>
      </div>
      {tickets.error && <p class="error">{t('app.error', { message: tickets.error })}</p>}
      {tickets.data && shown.length === 0 && <p class="muted">{t('ticket.empty')}</p>}
      <ul class="ticket-list" data-testid="ticket-list">
        {shown.map((ticket) => (
          <li key={ticket.id}>
            <button class="ticket-row" onClick={() => setMode({ kind: 'detail', id: ticket.id })}>
              <span class="plate">{ticket.number}</span>
              <span class={`badge status-${ticket.status}`}>{label('status', ticket.status)}</span>
              {ticket.overdue && <span class="badge overdue">{t('ticket.overdue')}</span>}
              <span class="muted">
                {ticket.categoryName} · {formatTime(ticket.registeredAt)}
              </span>
              <span class="desc">{ticket.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
