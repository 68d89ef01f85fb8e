import type { TrackFormat } from '../api/types.ts';
import { label, t } from '../i18n/i18n.ts';
import type { PlaybackTrack } from '../map/layers/playback.ts';
import { formatTime } from './format.ts';

const FORMATS: TrackFormat[] = ['gpx', 'csv', 'geojson'];

function duration(ms: number): string {
  const seconds = Math.round(ms / 1_000);
  if (seconds < 3_600) return t('playback.durationShort', { m: Math.floor(seconds / 60), s: seconds % 60 });
  const minutes = Math.round(seconds / 60);
  return t('playback.duration', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

interface Props {
  entry: PlaybackTrack;
  onJump: (ms: number) => void;
  onExport: (format: TrackFormat) => void;
}

/** One replayed vehicle: the server's totals over every fix, its stops and alarms (a click jumps there), export. */
export function TrackSummaryCard({ entry, onJump, onExport }: Props) {
  return (
    <div class="card summary" data-testid="track-summary">
      <h3>
        <span class="dot" style={{ background: entry.colour }} /> {entry.label}
      </h3>
      <dl>
        <dt>{t('playback.points')}</dt>
        <dd>{entry.entry.summary.pointCount}</dd>
        <dt>{t('playback.distance')}</dt>
        <dd data-testid="track-distance">{t('playback.km', { value: (entry.entry.summary.distanceMeters / 1000).toFixed(2) })}</dd>
        <dt>{t('playback.moving')}</dt>
        <dd>{duration(entry.entry.summary.movingSeconds * 1000)}</dd>
        <dt>{t('playback.maxSpeed')}</dt>
        <dd>{t('vehicle.kmh', { value: Math.round(entry.entry.summary.maxSpeedKmh) })}</dd>
        <dt>{t('playback.stops')}</dt>
        <dd>{entry.entry.stops.length}</dd>
        <dt>{t('alarm.panel')}</dt>
        <dd>{entry.entry.alarms.length}</dd>
      </dl>
      {entry.entry.stops.length + entry.entry.alarms.length > 0 && (
        <ul class="events">
          {[
            ...entry.entry.stops.map((stop) => ({ at: stop.startTime, text: `${t('playback.stop')} ${duration(stop.durationSeconds * 1000)}` })),
            ...entry.entry.alarms.map((alarm) => ({ at: alarm.time, text: label('alarmType', alarm.kind) })),
          ]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map((event) => (
              <li key={`${event.at}${event.text}`}>
                <button class="link" onClick={() => onJump(Date.parse(event.at))}>
                  {formatTime(event.at)}
                </button>{' '}
                {event.text}
              </li>
            ))}
        </ul>
      )}
      <div class="row">
        {t('playback.export')}:
        {FORMATS.map((format) => (
          <button key={format} onClick={() => onExport(format)}>
            {format.toUpperCase()}
          </button>
        ))}
      </div>
    </div>
  );
}
