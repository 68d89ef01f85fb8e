import { useState } from 'preact/hooks';
import type { DispatchMethod, Nearest, Unit } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';

const METHODS: DispatchMethod[] = ['terminal', 'phone', 'email', 'none'];

export interface DispatchOrder {
  deviceId?: number;
  unitId?: number;
  method: DispatchMethod;
}

interface Props {
  nearest: Nearest[] | null;
  units: Map<number, Unit>;
  onDispatch: (order: DispatchOrder) => void;
}

/** The nearest available vehicles with distance and ETA, each one click from the order; or a unit alone. */
export function DispatchCard({ nearest, units, onDispatch }: Props) {
  const [method, setMethod] = useState<DispatchMethod>('terminal');
  const [unitId, setUnitId] = useState('');

  return (
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
            <span class="plate">{n.plate ?? n.name}</span>
            <span class="muted">
              {t('ticket.distance', { km: (n.distanceMeters / 1000).toFixed(2) })} · {t('ticket.eta', { minutes: Math.max(1, Math.ceil(n.etaSeconds / 60)) })}
            </span>
            <button class="primary" onClick={() => onDispatch({ deviceId: n.deviceId, method })}>
              {t('ticket.dispatch')}
            </button>
          </li>
        ))}
      </ul>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          // A unit without a vehicle has no terminal to message; the order is then recorded only.
          if (unitId) onDispatch({ unitId: Number(unitId), method: method === 'terminal' ? 'none' : method });
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
          {t('ticket.dispatchToUnit')}
        </button>
      </form>
    </div>
  );
}
