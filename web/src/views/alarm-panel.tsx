import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Alarm, Unit } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { AlarmBook } from '../live/alarm-book.ts';
import type { LiveFeed } from '../live/feed.ts';
import type { MapStack } from '../map/stack.ts';
import { AlarmItem } from './alarm-item.tsx';
import { useLanguage } from './hooks.ts';

// Only while the live socket is down: with it up, every alarm change is pushed.
const POLL_MS = 5_000;
const FLASH_MS = 6_000;
const UNRESOLVED = 'open,acknowledged,assigned';

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

interface Props {
  feed: LiveFeed;
  stack: MapStack | null;
  units: Map<number, Unit>;
}

/** Every unresolved alarm, always on screen; a new one sounds and flashes until someone looks. */
export function AlarmPanel({ feed, stack, units }: Props) {
  useLanguage();
  const book = useRef(new AlarmBook()).current;
  const [alarms, setAlarms] = useState<Alarm[]>([]);
  const [flashing, setFlashing] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState(true);
  const [muted, setMuted] = useState(false);
  const [error, setError] = useState('');
  const loaded = useRef(false);
  const audio = useRef<AudioContext | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  function announce(fresh: number[]) {
    if (fresh.length === 0) return;
    setFlashing((current) => new Set([...current, ...fresh]));
    setTimeout(() => setFlashing((current) => new Set([...current].filter((id) => !fresh.includes(id)))), FLASH_MS);
    if (!mutedRef.current) {
      audio.current ??= new AudioContext();
      beep(audio.current);
    }
  }

  function show(alarm: Alarm, change?: string) {
    const isNew = book.apply(alarm);
    setAlarms(book.list());
    if (isNew && change === 'raised') announce([alarm.id]);
  }

  async function load() {
    const mark = book.mark();
    try {
      const fresh = book.replace(await api.alarms(UNRESOLVED), mark);
      setError('');
      setAlarms(book.list());
      // The first read is the backlog: it is shown, but only alarms arriving after it sound and flash.
      if (loaded.current) announce(fresh);
      loaded.current = true;
    } catch (e) {
      setError((e as Error).message);
    }
  }

  useEffect(() => {
    let timer: ReturnType<typeof setInterval> | undefined;
    // One read when the socket comes up (at start and after each reconnect) covers what no push brought;
    // while it is down, reads stand in for the pushes.
    const follow = (state: string) => {
      clearInterval(timer);
      timer = undefined;
      if (state === 'polling') timer = setInterval(() => void load(), POLL_MS);
      if (state !== 'connecting') void load();
    };
    follow(feed.state);
    const offState = feed.onState(follow);
    const offAlarm = feed.onAlarm(({ change, alarm }) => show(alarm, change));
    return () => {
      clearInterval(timer);
      offState();
      offAlarm();
    };
  }, []);

  function locate(alarm: Alarm) {
    if (alarm.lat !== null && alarm.lon !== null) stack?.map.flyTo(alarm.lon, alarm.lat, 16);
    else {
      const vehicle = feed.differ.vehicles.get(alarm.deviceId);
      if (vehicle?.lat != null && vehicle.lon != null) stack?.map.flyTo(vehicle.lon, vehicle.lat, 16);
    }
  }

  const unhandled = alarms.filter((a) => a.state === 'open').length;
  return (
    <aside class={`alarm-panel${flashing.size > 0 ? ' flash' : ''}`} aria-label={t('alarm.panel')} data-testid="alarm-panel">
      <div class="card-head">
        <button class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {t('alarm.panel')} {unhandled > 0 && <span class="badge overdue" data-testid="alarm-count">{unhandled}</span>}
        </button>
        <button class="link" onClick={() => setMuted(!muted)}>
          {muted ? t('alarm.unmute') : t('alarm.mute')}
        </button>
      </div>
      {open && (
        <>
          {error && <p class="error">{error}</p>}
          {alarms.length === 0 && <p class="muted">{t('alarm.empty')}</p>}
          <ul>
            {alarms.map((alarm) => (
              <AlarmItem
                key={alarm.id}
                alarm={alarm}
                vehicle={feed.differ.vehicles.get(alarm.deviceId)}
                units={units}
                flashing={flashing.has(alarm.id)}
                onLocate={() => locate(alarm)}
                onChanged={(changed) => show(changed)}
              />
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}
