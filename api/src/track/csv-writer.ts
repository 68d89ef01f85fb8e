import { createIsoFormatter } from './iso-time.ts';
import type { TrackPoint } from './track-point.ts';
import type { TrackWriter } from './track-writer.ts';

const HEADER = 'deviceId,fixTime,lat,lon,speedKmh,course,altitude,valid\r\n';

/** RFC 4180 rows, one per fix; spreadsheets want the points only, so totals stay in the other formats. */
export function createCsvWriter(): TrackWriter {
  const isoOf = createIsoFormatter();
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    open: () => HEADER,
    beginTrack: () => '',
    points(meta, points) {
      let out = '';
      for (const p of points) out += row(meta.deviceId, p, isoOf(p.fixTimeMs));
      return out;
    },
    endTrack: () => '',
    close: () => '',
  };
}

function row(deviceId: number, p: TrackPoint, fixTime: string): string {
  return `${deviceId},${fixTime},${p.lat},${p.lon},${p.speedKmh},${p.course},${p.altitudeM},${p.valid}\r\n`;
}
