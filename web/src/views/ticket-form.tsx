import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { CallerHistory, Category, Channel, CreatedTicket } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import type { MapStack } from '../map/stack.ts';
import { formatTime } from './format.ts';
import { useLanguage } from './hooks.ts';

const CHANNELS: Channel[] = ['phone', 'sms', 'web', 'email', 'fax', 'patrol', 'video'];
// Shorter than this is still being typed; looking it up would only flash other people's history.
const MIN_PHONE_DIGITS = 5;

interface Props {
  stack: MapStack | null;
  categories: Category[];
  initialPhone: string;
  /** Opened by the telephony hook for a call ringing at this desk. */
  ringing: boolean;
  onCancel: () => void;
  onCreated: (ticket: CreatedTicket) => void;
}

export function TicketForm({ stack, categories, initialPhone, ringing, onCancel, onCreated }: Props) {
  useLanguage();
  const [phone, setPhone] = useState(initialPhone);
  const [category, setCategory] = useState('');
  const [channel, setChannel] = useState<Channel>('phone');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [history, setHistory] = useState<CallerHistory | null>(null);
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => setPhone(initialPhone), [initialPhone]);
  useEffect(() => {
    if (!category && categories[0]) setCategory(categories[0].code);
  }, [categories]);

  // The caller's history appears while the agent is still typing the number.
  useEffect(() => {
    const number = phone.trim();
    if (number.replace(/\D/g, '').length < MIN_PHONE_DIGITS || !/^\+?[0-9-]+$/.test(number)) {
      setHistory(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.callerHistory(number).then(
        (found) => live && setHistory(found),
        () => live && setHistory(null),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [phone]);

  useEffect(() => {
    const la = Number(lat);
    const lo = Number(lon);
    stack?.markers.update(lat && lon && Number.isFinite(la) && Number.isFinite(lo) ? { picked: { lat: la, lon: lo } } : {});
  }, [lat, lon, stack]);

  async function pick() {
    if (!stack) return;
    setPicking(true);
    const [pickedLon, pickedLat] = await stack.map.pickPoint();
    setPicking(false);
    setLat(pickedLat.toFixed(6));
    setLon(pickedLon.toFixed(6));
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const ticket = await api.createTicket({
        category,
        channel,
        description,
        lat: Number(lat),
        lon: Number(lon),
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(phone.trim() ? { reporterPhone: phone.trim() } : {}),
      });
      onCreated(ticket);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="ticket-form" onSubmit={submit} data-testid="ticket-form">
      <div class="card-head">
        <h2>{t('ticket.new')}</h2>
        <button type="button" class="link" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
      {ringing && (
        <p class="badge overdue" role="alert">
          {t('ticket.incomingCall', { phone: initialPhone })}
        </p>
      )}
      <label>
        {t('ticket.phone')}
        <input name="phone" type="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} autofocus />
      </label>
      {history && (
        <div class="card history" data-testid="caller-history" role="status">
          <h3>{t('ticket.history')}</h3>
          {history.tickets.length === 0 && <p class="muted">{t('ticket.historyEmpty')}</p>}
          {history.tickets.length > 0 && (
            <p class="muted">{t('ticket.historySummary', { total: history.summary.tickets, open: history.summary.open, dissatisfied: history.summary.dissatisfied })}</p>
          )}
          <ul>
            {history.tickets.map((h) => (
              <li key={h.id}>
                <strong>{h.number}</strong> {label('status', h.status)} · {h.categoryName} · {formatTime(h.registeredAt)}
                <div class="desc">{h.description}</div>
                {history.replies
                  .filter((r) => r.ticketId === h.id)
                  .map((r) => (
                    <div key={r.id} class="desc">
                      ↳ {label('method', r.method)}: {r.text}
                    </div>
                  ))}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="row">
        <label>
          {t('ticket.category')}
          <select name="category" required value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            {categories.map((c) => (
              <option key={c.id} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('ticket.channel')}
          <select name="channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value as Channel)}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {label('channel', c)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label>
        {t('ticket.description')}
        <textarea name="description" required rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <label>
        {t('ticket.address')}
        <input name="address" value={address} onInput={(e) => setAddress(e.currentTarget.value)} />
      </label>
      <fieldset>
        <legend>{t('ticket.location')}</legend>
        <div class="row">
          <label>
            {t('ticket.lat')}
            <input name="lat" required inputMode="decimal" value={lat} onInput={(e) => setLat(e.currentTarget.value)} />
          </label>
          <label>
            {t('ticket.lon')}
            <input name="lon" required inputMode="decimal" value={lon} onInput={(e) => setLon(e.currentTarget.value)} />
          </label>
        </div>
        <button type="button" onClick={pick} disabled={!stack || picking} data-testid="pick-on-map">
          {picking ? t('map.pickHint') : t('ticket.pickOnMap')}
        </button>
      </fieldset>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {t('ticket.create')}
      </button>
    </form>
  );
}
