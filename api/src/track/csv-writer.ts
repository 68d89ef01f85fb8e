import { AsciiBuffer } from './ascii-buffer.ts';
import { createIsoWriter } from './iso-time.ts';
import type { TrackWriter } from './track-writer.ts';

const HEADER = 'deviceId,fixTime,lat,lon,speedKmh,course,altitude,valid\r\n';
const COMMA = 44;

/** RFC 4180 rows, one per fix; spreadsheets want the points only, so totals stay in the other formats. */
export function createCsvWriter(): TrackWriter {
  const writeIso = createIsoWriter();
  const out = new AsciiBuffer();
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    open: () => HEADER,
    beginTrack: () => '',
    points(meta, points) {
      for (const p of points) {
        out.number(meta.deviceId);
        out.byte(COMMA);
        writeIso(out, p.fixTimeMs);
        out.byte(COMMA);
        out.number(p.lat);
        out.byte(COMMA);
        out.number(p.lon);
        out.byte(COMMA);
        out.number(p.speedKmh);
        out.byte(COMMA);
        out.number(p.course);
        out.byte(COMMA);
        out.number(p.altitudeM);
        out.text(p.valid ? ',true\r\n' : ',false\r\n');
      }
      return out.take();
    },
    endTrack: () => '',
    close: () => '',
  };
}
