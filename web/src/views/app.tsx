import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, currentToken, logout, onUnauthorized } from '../api/client.ts';
import type { Unit } from '../api/types.ts';
import { currentLanguage, t } from '../i18n/i18n.ts';
import { LiveFeed, type FeedState } from '../live/feed.ts';
import type { MapStack } from '../map/stack.ts';
import { AlarmPanel } from './alarm-panel.tsx';
import { useLanguage } from './hooks.ts';
import { LiveView } from './live-view.tsx';
import { Login } from './login.tsx';
import { PlaybackView } from './playback-view.tsx';
import { chooseLanguage, loadBasemap, loadExtension } from './settings.ts';
import { SettingsMenu } from './settings-menu.tsx';
import { TicketsView } from './tickets-view.tsx';
import { StatsView } from './stats-view.tsx';
import { EvaluationView } from './evaluation-view.tsx';

export function App() {
  const [authed, setAuthed] = useState(currentToken() !== null);
  useEffect(() => onUnauthorized(() => setAuthed(false)), []);
  return authed ? <Console onLogout={() => setAuthed(false)} /> : <Login onDone={() => setAuthed(true)} />;
}

type Tab = 'map' | 'tickets' | 'playback' | 'stats' | 'evaluation';
const TABS: Tab[] = ['map', 'tickets', 'playback', 'stats', 'evaluation'];
// These work on tables and charts, not the map: they take the whole width while open.
const WIDE: ReadonlySet<Tab> = new Set(['stats', 'evaluation']);

function Console({ onLogout }: { onLogout: () => void }) {
  useLanguage();
  const feed = useMemo(() => new LiveFeed(), []);
  const mapElement = useRef<HTMLDivElement>(null);
  const [stack, setStack] = useState<MapStack | null>(null);
  const [tab, setTab] = useState<Tab>('map');
  const [feedState, setFeedState] = useState<FeedState>(feed.state);
  const [selected, setSelected] = useState<number | null>(null);
  const [units, setUnits] = useState<Map<number, Unit>>(new Map());
  const [focusTicket, setFocusTicket] = useState<number | null>(null);
  const [replayVehicle, setReplayVehicle] = useState<number | null>(null);
  const [error, setError] = useState('');
  const [tilesFailing, setTilesFailing] = useState(false);

  useEffect(() => {
    const offState = feed.onState(setFeedState);
    feed.start(loadExtension()).catch((e: Error) => setError(e.message));
    api.units().then((list) => setUnits(new Map(list.map((u) => [u.id, u]))), () => undefined);
    let disposed = false;
    let created: MapStack | undefined;
    void import('../map/stack.ts').then(({ createMapStack }) => {
      if (disposed || !mapElement.current) return;
      created = createMapStack(mapElement.current, feed, loadBasemap(), (id) => {
        setSelected(id);
        setTab('map');
      });
      setStack(created);
    });
    return () => {
      disposed = true;
      offState();
      feed.stop();
      created?.map.map.remove();
    };
  }, []);

  useEffect(() => stack?.vehicles.select(selected), [stack, selected]);
  useEffect(() => stack?.map.onTileTrouble(setTilesFailing), [stack]);
  useEffect(() => {
    stack?.vehicles.setVisible(tab !== 'playback');
    stack?.markers.setVisible(tab === 'tickets');
    // The map was hidden under a wide view; its canvas must take its size again.
    if (!WIDE.has(tab)) stack?.map.map.resize();
  }, [stack, tab]);

  const openTicket = (id: number) => {
    setFocusTicket(id);
    setTab('tickets');
  };
  const replay = (deviceId: number) => {
    setReplayVehicle(deviceId);
    setTab('playback');
  };

  return (
    <div class={WIDE.has(tab) ? 'console wide' : 'console'}>
      <header class="topbar">
        <strong class="brand">{t('app.title')}</strong>
        <nav role="tablist">
          {TABS.map((name) => (
            <button key={name} role="tab" aria-selected={tab === name} class={tab === name ? 'tab active' : 'tab'} onClick={() => setTab(name)}>
              {t(`nav.${name}`)}
            </button>
          ))}
        </nav>
        <span class={`feed-state ${feedState}`} data-testid="feed-state">
          {feedState === 'live' ? t('live.connected') : t('live.reconnecting')}
        </span>
        <SettingsMenu stack={stack} feed={feed} />
        <button class="link" onClick={() => chooseLanguage(currentLanguage() === 'zh' ? 'en' : 'zh')}>
          {t('app.language')}
        </button>
        <button
          class="link"
          onClick={() => {
            logout();
            onLogout();
          }}
        >
          {t('app.logout')}
        </button>
      </header>
      <aside class="panel">
        {error && <p class="error">{t('app.error', { message: error })}</p>}
        <div hidden={tab !== 'map'}>
          <LiveView feed={feed} stack={stack} units={units} selected={selected} onSelect={setSelected} onOpenTicket={openTicket} onReplay={replay} />
        </div>
        <div hidden={tab !== 'tickets'}>
          <TicketsView feed={feed} stack={stack} units={units} active={tab === 'tickets'} focus={focusTicket} />
        </div>
        <div hidden={tab !== 'playback'}>
          <PlaybackView feed={feed} stack={stack} active={tab === 'playback'} preselect={replayVehicle} />
        </div>
        {tab === 'stats' && <StatsView units={units} />}
        {tab === 'evaluation' && <EvaluationView />}
      </aside>
      {/* maplibre owns everything inside .map, so the notice sits beside it, over it. */}
      <div class="map-area">
        <div class="map" ref={mapElement} data-testid="map" />
        {tilesFailing && (
          <p class="map-notice" role="status">
            {t('map.tilesUnreachable')}
          </p>
        )}
      </div>
      <AlarmPanel feed={feed} stack={stack} units={units} />
    </div>
  );
}
