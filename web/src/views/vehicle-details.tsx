import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Command, Ticket, Unit } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import { shadeOf, type VehicleState } from '../live/vehicle-diff.ts';
import { formatTime } from './format.ts';

const FINAL = new Set(['acknowledged', 'failed', 'expired']);
const ACTIVE_TICKET_STATES = 'dispatched,arrived';

interface Props {
  vehicle: VehicleState;
  unit: Unit | undefined;
  onClose: () => void;
  onOpenTicket: (id: number) => void;
  onReplay: (deviceId: number) => void;
}

export function VehicleDetails({ vehicle, unit, onClose, onOpenTicket, onReplay }: Props) {
  const [text, setText] = useState('');
  const [command, setCommand] = useState<Command | null>(null);
  const [error, setError] = useState('');
  const [ticket, setTicket] = useState<Ticket | null>(null);

  useEffect(() => {
    setCommand(null);
    setError('');
  }, [vehicle.id]);

  // The ticket this vehicle is working on: the open, dispatched one that names it.
  useEffect(() => {
    setTicket(null);
    if (vehicle.dispatchStatus !== 'on_task') return;
    let live = true;
    api.tickets({ status: ACTIVE_TICKET_STATES }).then(
      (list) => live && setTicket(list.find((candidate) => candidate.deviceId === vehicle.id) ?? null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [vehicle.id, vehicle.dispatchStatus]);

  // Follow the command until the terminal answers (or it fails); the dispatcher is waiting on that answer.
  useEffect(() => {
    if (!command || FINAL.has(command.status)) return;
    const timer = setTimeout(() => api.command(command.id).then(setCommand, (e: Error) => setError(e.message)), 1_500);
    return () => clearTimeout(timer);
  }, [command]);

  async function send(run: () => Promise<Command>): Promise<boolean> {
    setError('');
    try {
      setCommand(await run());
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    }
  }

  return (
    <div class="card vehicle-details" data-testid="vehicle-details">
      <div class="card-head">
        <h3>
          <span class={`dot shade-${shadeOf(vehicle)}`} /> {vehicle.plate || vehicle.name}
        </h3>
        <button class="link" onClick={onClose} aria-label={t('app.close')}>
          ×
        </button>
      </div>
      <dl>
        <dt>{t('vehicle.status')}</dt>
        <dd>
          {label('connection', vehicle.status)} · {label('shade', vehicle.dispatchStatus)}
        </dd>
        <dt>{t('vehicle.speed')}</dt>
        <dd>{t('vehicle.kmh', { value: Math.round(vehicle.speedKmh) })}</dd>
        <dt>{t('vehicle.lastFix')}</dt>
        <dd data-testid="vehicle-fix">{vehicle.fixTime ? formatTime(vehicle.fixTime) : t('vehicle.noFix')}</dd>
        <dt>{t('vehicle.position')}</dt>
        <dd data-testid="vehicle-position">{vehicle.lat === null || vehicle.lon === null ? t('app.none') : `${vehicle.lat.toFixed(5)}, ${vehicle.lon.toFixed(5)}`}</dd>
        <dt>{t('vehicle.unit')}</dt>
        <dd>{unit?.name ?? t('app.none')}</dd>
        <dt>{t('vehicle.ticket')}</dt>
        <dd>
          {ticket ? (
            <button class="link" onClick={() => onOpenTicket(ticket.id)}>
              {ticket.number} · {ticket.categoryName}
            </button>
          ) : (
            t('app.none')
          )}
        </dd>
      </dl>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) void send(() => api.sendText(vehicle.id, text.trim())).then((sent) => sent && setText(''));
        }}
      >
        <input aria-label={t('vehicle.sendText')} placeholder={t('vehicle.sendText')} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit">{t('vehicle.send')}</button>
      </form>
      <div class="row">
        <button onClick={() => void send(() => api.locateNow(vehicle.id))}>{t('vehicle.locate')}</button>
        <button onClick={() => onReplay(vehicle.id)}>{t('vehicle.replay')}</button>
      </div>
      {command && <p class="muted">{t('vehicle.commandStatus', { id: command.id, status: label('command', command.status) })}</p>}
      {error && <p class="error">{error}</p>}
    </div>
  );
}
