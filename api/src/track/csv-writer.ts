import { AsciiBuffer, asciiBytes, MAX_POINT_BYTES, putBytes, putNumber } from './ascii-buffer.ts';
import { createIsoWriter } from './iso-time.ts';
import type { TrackWriter } from './track-writer.ts';

const HEADER = 'deviceId,fixTime,lat,lon,speedKmh,course,altitude,valid\r\n';
const COMMA = 44;
const VALID = asciiBytes(',true\r\n');
const INVALID = asciiBytes(',false\r\n');

/** RFC 4180 rows, one per fix; spreadsheets want the points only, so totals stay in the other formats. */
export function createCsvWriter(): TrackWriter {
  const writeIso = createIsoWriter();
  const out = new AsciiBuffer();
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    open: () => HEADER,
    beginTrack: () => '',
    points(meta, page) {
      for (let i = 0; i < page.length; i++) {
        const bytes = out.room(MAX_POINT_BYTES);
        let at = putNumber(bytes, out.end, meta.deviceId);
        bytes[at++] = COMMA;
        at = writeIso(bytes, at, page.fixTimeMs[i]!);
        bytes[at++] = COMMA;
        at = putNumber(bytes, at, page.lat[i]!);
        bytes[at++] = COMMA;
        at = putNumber(bytes, at, page.lon[i]!);
        bytes[at++] = COMMA;
        at = putNumber(bytes, at, page.speedKmh[i]!);
        bytes[at++] = COMMA;
        at = putNumber(bytes, at, page.course[i]!);
        bytes[at++] = COMMA;
        at = putNumber(bytes, at, page.altitudeM[i]!);
        out.end = putBytes(bytes, at, page.valid[i] ? VALID : INVALID);
      }
      return out.take();
    },
    endTrack: () => '',
    close: () => '',
  };
}
