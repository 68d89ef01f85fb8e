import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Alarm, Unit } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import type { VehicleState } from '../live/vehicle-diff.ts';
import { formatTime } from './format.ts';

interface Props {
  alarm: Alarm;
  vehicle: VehicleState | undefined;
  units: Map<number, Unit>;
  flashing: boolean;
  onLocate: () => void;
  /** The alarm as the step's answer has it, shown at once (the push that follows changes nothing more). */
  onChanged: (alarm: Alarm) => void;
}

/** One alarm with its steps: acknowledge, assign to a unit (the vehicle's by default), resolve with a note. */
export function AlarmItem({ alarm, vehicle, units, flashing, onLocate, onChanged }: Props) {
  const [unitId, setUnitId] = useState(String(alarm.unitId ?? ''));
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  // The steps open under the alarm being looked at; a closed list stays short enough to scan.
  const [expanded, setExpanded] = useState(false);

  async function act(run: () => Promise<Alarm>) {
    setError('');
    try {
      onChanged(await run());
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <li class={`alarm state-${alarm.state}${flashing ? ' flash' : ''}`} data-testid="alarm" data-alarm-id={alarm.id}>
      <button
        class="link"
        aria-expanded={expanded}
        onClick={() => {
          setExpanded(!expanded);
          onLocate();
        }}
      >
        <strong>{label('alarmType', alarm.kind)}</strong> {vehicle ? vehicle.plate || vehicle.name : `#${alarm.deviceId}`}
      </button>
      <div class="muted">
        {label('alarm', alarm.state)} · {formatTime(alarm.occurredAt)}
      </div>
      {expanded && (
        <>
          <div class="row">
            {alarm.state === 'open' && <button onClick={() => void act(() => api.acknowledgeAlarm(alarm.id))}>{t('alarm.acknowledge')}</button>}
            <select aria-label={t('alarm.assignUnit')} value={unitId} onChange={(e) => setUnitId(e.currentTarget.value)}>
              <option value="">{t('alarm.assignUnit')}</option>
              {[...units.values()].map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
            <button disabled={!unitId} onClick={() => void act(() => api.assignAlarm(alarm.id, Number(unitId)))}>
              {t('alarm.assign')}
            </button>
          </div>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              if (note.trim()) void act(() => api.resolveAlarm(alarm.id, note.trim()));
            }}
          >
            <input aria-label={t('alarm.resolutionNote')} placeholder={t('alarm.resolutionNote')} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            <button type="submit" disabled={!note.trim()}>
              {t('alarm.resolve')}
            </button>
          </form>
        </>
      )}
      {error && <p class="error">{error}</p>}
    </li>
  );
}
