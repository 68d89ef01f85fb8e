import { useState } from 'preact/hooks';
import type { Unit } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import type { LiveFeed } from '../live/feed.ts';
import { shadeOf, type VehicleShade, type VehicleState } from '../live/vehicle-diff.ts';
import type { MapStack } from '../map/stack.ts';
import { useLanguage, useThrottledSignal } from './hooks.ts';
import { VehicleDetails } from './vehicle-details.tsx';

const SHADES: VehicleShade[] = ['on_task', 'standby', 'unavailable', 'offline'];
// A list longer than this is not read by anyone; the search narrows it.
const LIST_LIMIT = 200;
// Sorting 10 000 plates every second: a reused collator is several times faster than localeCompare.
const collator = new Intl.Collator('zh-CN', { numeric: true });

function matches(vehicle: VehicleState, query: string): boolean {
  if (!query) return true;
  const q = query.toLowerCase();
  return vehicle.plate.toLowerCase().includes(q) || vehicle.name.toLowerCase().includes(q) || vehicle.uniqueId.includes(q);
}

interface Props {
  feed: LiveFeed;
  stack: MapStack | null;
  units: Map<number, Unit>;
  selected: number | null;
  onSelect: (id: number | null) => void;
  onOpenTicket: (id: number) => void;
  onReplay: (deviceId: number) => void;
}

export function LiveView({ feed, stack, units, selected, onSelect, onOpenTicket, onReplay }: Props) {
  useLanguage();
  useThrottledSignal((listener) => feed.onDiff(listener), 1_000);
  const [query, setQuery] = useState('');
  const [shade, setShade] = useState<VehicleShade | ''>('');

  const all = [...feed.differ.vehicles.values()];
  const counts = Object.fromEntries(SHADES.map((s) => [s, 0])) as Record<VehicleShade, number>;
  for (const v of all) counts[shadeOf(v)]++;
  const matching = all.filter((v) => matches(v, query.trim()) && (!shade || shadeOf(v) === shade));
  matching.sort((a, b) => collator.compare(a.plate || a.name, b.plate || b.name));
  const vehicle = selected === null ? undefined : feed.differ.vehicles.get(selected);

  function choose(v: VehicleState) {
    onSelect(v.id);
    if (v.lat !== null && v.lon !== null) stack?.map.flyTo(v.lon, v.lat);
  }

  return (
    <section class="live-view">
      <div class="legend" role="group" aria-label={t('map.legend')}>
        {SHADES.map((s) => (
          <button key={s} class={`chip shade-${s}${shade === s ? ' active' : ''}`} aria-pressed={shade === s} onClick={() => setShade(shade === s ? '' : s)}>
            <span class="dot" /> {t(`shade.${s}`)} {counts[s]}
          </button>
        ))}
      </div>
      <input type="search" class="search" placeholder={t('vehicle.search')} aria-label={t('vehicle.search')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      <p class="muted">{t('vehicle.count', { shown: Math.min(matching.length, LIST_LIMIT), total: all.length })}</p>
      {vehicle && (
        <VehicleDetails
          vehicle={vehicle}
          unit={vehicle.unitId === null ? undefined : units.get(vehicle.unitId)}
          onClose={() => onSelect(null)}
          onOpenTicket={onOpenTicket}
          onReplay={onReplay}
        />
      )}
      <ul class="vehicle-list" data-testid="vehicle-list">
        {matching.slice(0, LIST_LIMIT).map((v) => (
          <li key={v.id}>
            <button class={`vehicle-row${v.id === selected ? ' selected' : ''}`} onClick={() => choose(v)}>
              <span class={`dot shade-${shadeOf(v)}`} />
              <span class="plate">{v.plate || v.name}</span>
              <span class="muted">{v.lat === null ? t('vehicle.noFix') : t('vehicle.kmh', { value: Math.round(v.speedKmh) })}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
