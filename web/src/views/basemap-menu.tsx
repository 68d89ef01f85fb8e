import { useState } from 'preact/hooks';
import { t } from '../i18n/i18n.ts';
import { BASEMAPS, type BasemapKind } from '../map/basemaps.ts';
import type { MapStack } from '../map/stack.ts';
import { loadBasemap, saveBasemap } from './settings.ts';

/** Basemap choice, with the Tianditu key and an optional intranet tile URL; kept per workstation. */
export function BasemapMenu({ stack }: { stack: MapStack }) {
  const [settings, setSettings] = useState(loadBasemap);

  function apply(event: Event) {
    event.preventDefault();
    saveBasemap(settings);
    stack.map.setBasemap(settings);
  }

  return (
    <details class="basemap-menu">
      <summary>{t('map.basemap')}</summary>
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
        <button type="submit" class="primary">
          {t('app.save')}
        </button>
      </form>
    </details>
  );
}
