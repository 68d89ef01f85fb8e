import { useState } from 'preact/hooks';
import { t } from '../i18n/i18n.ts';
import type { LiveFeed } from '../live/feed.ts';
import { BASEMAPS, type BasemapKind } from '../map/basemaps.ts';
import type { MapStack } from '../map/stack.ts';
import { loadBasemap, loadExtension, saveBasemap, saveExtension } from './settings.ts';

/** This workstation's settings: basemap (with the Tianditu key or an intranet tile URL) and phone extension. */
export function SettingsMenu({ stack, feed }: { stack: MapStack | null; feed: LiveFeed }) {
  const [settings, setSettings] = useState(loadBasemap);
  const [extension, setExtension] = useState(loadExtension);
  const [saved, setSaved] = useState(false);

  function apply(event: Event) {
    event.preventDefault();
    saveBasemap(settings);
    stack?.map.setBasemap(settings);
    if (extension.trim() !== loadExtension()) {
      saveExtension(extension.trim());
      feed.connectDesk(extension.trim());
    }
    setSaved(true);
  }

  return (
    <details class="settings-menu" onToggle={() => setSaved(false)}>
      <summary>{t('nav.settings')}</summary>
      <form class="card" onSubmit={apply}>
        <label>
          {t('map.basemap')}
          <select value={settings.kind} onChange={(e) => setSettings({ ...settings, kind: e.currentTarget.value as BasemapKind })}>
            {BASEMAPS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`basemap.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        {settings.kind === 'tianditu' && (
          <label>
            {t('settings.tiandituKey')}
            <input value={settings.tiandituKey} onInput={(e) => setSettings({ ...settings, tiandituKey: e.currentTarget.value })} />
          </label>
        )}
        {settings.kind !== 'offline' && (
          <label>
            {t('settings.tileUrl')}
            <input
              value={settings.customTileUrl}
              placeholder="https://tiles.example/{z}/{x}/{y}.png"
              onInput={(e) => setSettings({ ...settings, customTileUrl: e.currentTarget.value })}
            />
          </label>
        )}
        <label>
          {t('settings.extension')}
          <input value={extension} inputMode="numeric" onInput={(e) => setExtension(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">
          {t('app.save')}
        </button>
        {saved && <p class="muted">{t('settings.saved')}</p>}
      </form>
    </details>
  );
}
