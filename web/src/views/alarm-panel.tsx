import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Alarm } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import type { LiveFeed } from '../live/feed.ts';
import type { MapStack } from '../map/stack.ts';
import { formatTime } from './format.ts';
import { useLanguage } from './hooks.ts';

// Geofence and speed alarms are not pushed to browsers, so the list is re-read this often (terminal alarms
// riding on live positions trigger a read at once).
const POLL_MS = 5_000;
const FLASH_MS = 6_000;

/** Two short tones: audible over a busy room without a sound file to ship. */
function beep(context: AudioContext): void {
  for (const [offset, frequency] of [[0, 880], [0.25, 660]] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.value = 0.15;
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(context.currentTime + offset);
    oscillator.stop(context.currentTime + offset + 0.18);
  }
}

export function AlarmPanel({ feed, stack }: { feed: LiveFeed; stack: MapStack | null }) {
  useLanguage();
  const [alarms, setAlarms] = useState<Map<number, Alarm>>(new Map());
  const [flashing, setFlashing] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState(true);
  const [muted, setMuted] = useState(false);
  const [error, setError] = useState('');
  const seen = useRef<Set<number> | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  function receive(list: Alarm[]) {
    // The first load is the backlog: it is shown, but only alarms arriving after it sound and flash.
    const firstLoad = seen.current === null;
    seen.current ??= new Set();
    const fresh = list.filter((a) => a.state === 'open' && !seen.current!.has(a.id));
    list.forEach((a) => seen.current!.add(a.id));
    setAlarms((current) => {
      const next = new Map(current);
      for (const alarm of list) {
        if (alarm.state === 'resolved') next.delete(alarm.id);
        else next.set(alarm.id, alarm);
      }
      return next;
    });
    if (firstLoad || fresh.length === 0) return;
    setFlashing((current) => new Set([...current, ...fresh.map((a) => a.id)]));
    setTimeout(() => setFlashing((current) => new Set([...current].filter((id) => !fresh.some((a) => a.id === id)))), FLASH_MS);
    if (!mutedRef.current) {
      audio.current ??= new AudioContext();
      beep(audio.current);
    }
  }

  useEffect(() => {
    const poll = () => api.alarms().then(receive, (e: Error) => setError(e.message));
    poll();
    const timer = setInterval(poll, POLL_MS);
    const off = feed.onAlarm(poll);
    return () => {
      clearInterval(timer);
      off();
    };
  }, []);

  async function act(alarm: Alarm, action: 'acknowledge' | 'assign' | 'resolve') {
    try {
      receive([await api.alarmAction(alarm.id, action)]);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  function locate(alarm: Alarm) {
    if (alarm.lat !== null && alarm.lon !== null) stack?.map.flyTo(alarm.lon, alarm.lat, 16);
    else {
      const vehicle = feed.differ.vehicles.get(alarm.deviceId);
      if (vehicle?.lat != null && vehicle.lon != null) stack?.map.flyTo(vehicle.lon, vehicle.lat, 16);
    }
  }

  const list = [...alarms.values()].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt));
  const unhandled = list.filter((a) => a.state === 'open').length;
  return (
    <aside class={`alarm-panel${open ? ' open' : ''}${flashing.size > 0 ? ' flash' : ''}`} aria-label={t('alarm.panel')} data-testid="alarm-panel">
      <div class="card-head">
        <button class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t('alarm.panel')} {unhandled > 0 && <span class="badge overdue">{unhandled}</span>}
        </button>
        <button class="link" onClick={() => setMuted(!muted)}>
          {muted ? t('alarm.unmute') : t('alarm.mute')}
        </button>
      </div>
      {open && (
        <>
          {error && <p class="error">{error}</p>}
          {list.length === 0 && <p class="muted">{t('alarm.empty')}</p>}
          <ul>
            {list.map((alarm) => {
              const vehicle = feed.differ.vehicles.get(alarm.deviceId);
              return (
                <li key={alarm.id} class={`alarm state-${alarm.state}${flashing.has(alarm.id) ? ' flash' : ''}`}>
                  <button class="link" onClick={() => locate(alarm)}>
                    <strong>{label('alarmType', alarm.kind)}</strong> {vehicle ? vehicle.plate || vehicle.name : ''}
                  </button>
                  <div class="muted">
                    {label('alarm', alarm.state)} · {formatTime(alarm.occurredAt)}
                  </div>
                  <div class="row">
                    {alarm.state === 'open' && <button onClick={() => void act(alarm, 'acknowledge')}>{t('alarm.acknowledge')}</button>}
                    {alarm.state !== 'assigned' && <button onClick={() => void act(alarm, 'assign')}>{t('alarm.assign')}</button>}
                    <button onClick={() => void act(alarm, 'resolve')}>{t('alarm.resolve')}</button>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </aside>
  );
}
