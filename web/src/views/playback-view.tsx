import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { TrackFormat } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import type { LiveFeed } from '../live/feed.ts';
import type { PlaybackTrack } from '../map/layers/playback.ts';
import type { MapStack } from '../map/stack.ts';
import { PlaybackClock, SPEEDS } from '../playback/clock.ts';
import { toTrack } from '../playback/track.ts';
import { formatTime, fromLocalInput, toLocalInput } from './format.ts';
import { useLanguage } from './hooks.ts';
import { TrackSummaryCard } from './track-summary.tsx';

const COLOURS = ['#1971c2', '#e8590c', '#2f9e44', '#9c36b5', '#c2255c', '#0c8599'];
const SLIDER_STEPS = 10_000;
const LONG_PERIOD_MS = 2 * 86_400_000;
const LONG_PERIOD_TOLERANCE_M = 3;

interface Props {
  feed: LiveFeed;
  stack: MapStack | null;
  active: boolean;
  preselect: number | null;
}

export function PlaybackView({ feed, stack, active, preselect }: Props) {
  useLanguage();
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [query, setQuery] = useState('');
  const [from, setFrom] = useState(() => toLocalInput(Date.now() - 3_600_000));
  const [to, setTo] = useState(() => toLocalInput(Date.now()));
  const [tracks, setTracks] = useState<PlaybackTrack[]>([]);
  const [clock, setClock] = useState<PlaybackClock | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [follow, setFollow] = useState(true);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const slider = useRef<HTMLInputElement>(null);
  const timeLabel = useRef<HTMLSpanElement>(null);
  const followRef = useRef(follow);
  followRef.current = follow;

  const [periodEdited, setPeriodEdited] = useState(false);

  useEffect(() => {
    if (preselect !== null) setChosen(new Set([preselect]));
  }, [preselect]);

  // Until the auditor sets a period, it is the last hour up to the moment the view is opened (the inputs hold
  // whole minutes, so the end is the next minute, or the latest fixes would fall outside).
  useEffect(() => {
    if (!active || periodEdited) return;
    setFrom(toLocalInput(Date.now() - 3_600_000));
    setTo(toLocalInput(Date.now() + 60_000));
  }, [active]);

  // Tracks are shown only while this view is open; the live vehicles take their place otherwise.
  useEffect(() => {
    stack?.playback.setTracks(active ? tracks : []);
    if (!active) {
      clock?.pause();
      setPlaying(false);
    }
  }, [active, tracks, stack]);

  // The frame loop writes the slider and the clock text directly: re-rendering the panel 60 times a second
  // would cost more than the map itself.
  useEffect(() => {
    if (!clock || !stack) return;
    let frame = 0;
    const draw = () => {
      const now = clock.time();
      const head = stack.playback.setTime(now);
      if (follow && head && clock.playing) stack.map.map.jumpTo({ center: stack.map.display.toMap(head[0], head[1]) });
      if (slider.current) slider.current.value = String(Math.round(clock.fraction() * SLIDER_STEPS));
      if (timeLabel.current) timeLabel.current.textContent = formatTime(new Date(now).toISOString());
      if (clock.playing) frame = requestAnimationFrame(draw);
      else setPlaying(false);
    };
    draw();
    return () => cancelAnimationFrame(frame);
  }, [clock, stack, playing, follow]);

  async function load(event: Event) {
    event.preventDefault();
    if (chosen.size === 0) {
      setError(t('playback.pick'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const fromIso = fromLocalInput(from);
      const toIso = fromLocalInput(to);
      const ids = [...chosen];
      const periodMs = Date.parse(toIso) - Date.parse(fromIso);
      // Beyond a couple of days the browser needs no fix closer than a few metres to the line; totals still
      // come from every fix on the server.
      const document = await api.tracks(ids, fromIso, toIso, periodMs > LONG_PERIOD_MS ? LONG_PERIOD_TOLERANCE_M : undefined);
      const loaded = document.tracks.map(
        (entry, i): PlaybackTrack => ({
          track: toTrack(entry.deviceId, entry.points),
          colour: COLOURS[i % COLOURS.length]!,
          label: entry.plate || entry.name,
          entry: { ...entry, points: [] },
        }),
      );
      const withFixes = loaded.filter((entry) => entry.track.time.length > 0);
      setTracks(loaded);
      setPlaying(false);
      if (withFixes.length === 0) {
        setClock(null);
        setError(t('playback.empty'));
        return;
      }
      const start = Math.min(...withFixes.map((e) => e.track.time[0]!));
      const end = Math.max(...withFixes.map((e) => e.track.time[e.track.time.length - 1]!));
      const next = new PlaybackClock(start, end);
      next.setSpeed(speed);
      setClock(next);
      fitTracks(withFixes);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function fitTracks(entries: PlaybackTrack[]) {
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    for (const { track } of entries) {
      for (let i = 0; i < track.lat.length; i++) {
        w = Math.min(w, track.lon[i]!);
        e = Math.max(e, track.lon[i]!);
        s = Math.min(s, track.lat[i]!);
        n = Math.max(n, track.lat[i]!);
      }
    }
    stack?.map.fitWgs84([w, s, e, n]);
  }

  /** Jumps the clock to a moment (a stop, an alarm) and shows where everyone was then. */
  function jumpTo(ms: number) {
    if (!clock || !stack) return;
    clock.seek(ms);
    const head = stack.playback.setTime(clock.time());
    if (head) stack.map.flyTo(head[0], head[1]);
    if (slider.current) slider.current.value = String(Math.round(clock.fraction() * SLIDER_STEPS));
    if (timeLabel.current) timeLabel.current.textContent = formatTime(new Date(clock.time()).toISOString());
  }

  function toggle() {
    if (!clock) return;
    if (clock.playing) clock.pause();
    else clock.play();
    setPlaying(clock.playing);
  }

  async function exportTrack(deviceId: number, name: string, format: TrackFormat) {
    try {
      const blob = await api.trackFile(deviceId, fromLocalInput(from), fromLocalInput(to), format);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `${name}-${from.replace(/[:T]/g, '')}.${format === 'geojson' ? 'geojson' : format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  const vehicles = [...feed.differ.vehicles.values()]
    .filter((v) => chosen.has(v.id) || !query || (v.plate + v.name + v.uniqueId).toLowerCase().includes(query.toLowerCase()))
    .sort((a, b) => Number(chosen.has(b.id)) - Number(chosen.has(a.id)) || (a.plate || a.name).localeCompare(b.plate || b.name))
    .slice(0, 100);

  return (
    <section class="playback-view" data-testid="playback">
      <form class="card" onSubmit={load}>
        <h3>{t('playback.vehicles')}</h3>
        <input type="search" placeholder={t('vehicle.search')} aria-label={t('vehicle.search')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <ul class="pick-list">
          {vehicles.map((v) => (
            <li key={v.id}>
              <label class="check">
                <input
                  type="checkbox"
                  checked={chosen.has(v.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.currentTarget.checked) next.add(v.id);
                    else next.delete(v.id);
                    setChosen(next);
                  }}
                />
                {v.plate || v.name}
              </label>
            </li>
          ))}
        </ul>
        <div class="row">
          <label>
            {t('playback.from')}
            <input
              type="datetime-local"
              value={from}
              onInput={(e) => {
                setPeriodEdited(true);
                setFrom(e.currentTarget.value);
              }}
              required
            />
          </label>
          <label>
            {t('playback.to')}
            <input
              type="datetime-local"
              value={to}
              onInput={(e) => {
                setPeriodEdited(true);
                setTo(e.currentTarget.value);
              }}
              required
            />
          </label>
        </div>
        <button type="submit" class="primary" disabled={busy} data-testid="load-tracks">
          {t('playback.load')}
        </button>
      </form>
      {error && <p class="error">{error}</p>}
      {clock && (
        <div class="card player">
          <div class="row">
            <button class="primary" onClick={toggle} data-testid="play">
              {playing ? t('playback.pause') : t('playback.play')}
            </button>
            <label>
              {t('playback.speed')}
              <select
                value={speed}
                onChange={(e) => {
                  const value = Number(e.currentTarget.value);
                  setSpeed(value);
                  clock.setSpeed(value);
                }}
              >
                {SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    {s}×
                  </option>
                ))}
              </select>
            </label>
            <label class="check">
              <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} />
              {t('playback.follow')}
            </label>
          </div>
          <input
            ref={slider}
            type="range"
            min={0}
            max={SLIDER_STEPS}
            aria-label={t('playback.time')}
            onInput={(e) => {
              clock.seek(clock.start + (Number(e.currentTarget.value) / SLIDER_STEPS) * (clock.end - clock.start));
              const head = stack?.playback.setTime(clock.time());
              if (followRef.current && head && stack) stack.map.map.jumpTo({ center: stack.map.display.toMap(head[0], head[1]) });
              if (timeLabel.current) timeLabel.current.textContent = formatTime(new Date(clock.time()).toISOString());
            }}
          />
          <span ref={timeLabel} class="muted" data-testid="playback-time" />
        </div>
      )}
      {tracks.map((entry) => (
        <TrackSummaryCard
          key={entry.track.deviceId}
          entry={entry}
          onJump={jumpTo}
          onExport={(format) => void exportTrack(entry.track.deviceId, entry.label, format)}
        />
      ))}
    </section>
  );
}
