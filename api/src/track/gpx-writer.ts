import { AsciiBuffer, asciiBytes, MAX_POINT_BYTES, putBytes, putNumber } from './ascii-buffer.ts';
import { createIsoWriter } from './iso-time.ts';
import { iso, summaryJson, type TrackAlarm, type TrackResult, type TrackWriter } from './track-writer.ts';

const NS = 'urn:urbanlink:gpx:1';
const LAT = asciiBytes('<trkpt lat="');
const LON = asciiBytes('" lon="');
const ELEVATION = asciiBytes('"><ele>');
const TIME = asciiBytes('</ele><time>');
const SPEED = asciiBytes('</time><extensions><ul:speedKmh>');
const COURSE = asciiBytes('</ul:speedKmh><ul:course>');
const END = asciiBytes('</ul:course></extensions></trkpt>\n');

/**
 * GPX 1.1: one <trk> per device. The schema puts waypoints before tracks and allows extensions only at
 * the end, so alarms (read before the points) become <wpt>s in front of each track, and stops and totals,
 * known only after the last point, go into the closing <extensions>.
 */
export function createGpxWriter(): TrackWriter {
  const finished: TrackResult[] = [];
  const writeIso = createIsoWriter();
  const out = new AsciiBuffer();
  return {
    contentType: 'application/gpx+xml; charset=utf-8',
    extension: 'gpx',
    open: () =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="UrbanLink" xmlns="http://www.topografix.com/GPX/1/1" xmlns:ul="${NS}">\n`,
    beginTrack(meta, alarms) {
      const name = escapeXml(meta.plate ?? meta.name);
      return `${alarms.map(waypoint).join('')}<trk><name>${name}</name><trkseg>\n`;
    },
    points(_meta, page) {
      for (let i = 0; i < page.length; i++) {
        const bytes = out.room(MAX_POINT_BYTES);
        let at = putBytes(bytes, out.end, LAT);
        at = putNumber(bytes, at, page.lat[i]!);
        at = putBytes(bytes, at, LON);
        at = putNumber(bytes, at, page.lon[i]!);
        at = putBytes(bytes, at, ELEVATION);
        at = putNumber(bytes, at, page.altitudeM[i]!);
        at = putBytes(bytes, at, TIME);
        at = writeIso(bytes, at, page.fixTimeMs[i]!);
        at = putBytes(bytes, at, SPEED);
        at = putNumber(bytes, at, page.speedKmh[i]!);
        at = putBytes(bytes, at, COURSE);
        at = putNumber(bytes, at, page.course[i]!);
        out.end = putBytes(bytes, at, END);
      }
      return out.take();
    },
    endTrack(result) {
      finished.push(result);
      return '</trkseg></trk>\n';
    },
    close() {
      const tracks = finished.map(trackExtension).join('');
      return `<extensions>${tracks}</extensions>\n</gpx>\n`;
    },
  };
}

function waypoint(alarm: TrackAlarm): string {
  if (alarm.lat === null || alarm.lon === null) return '';
  return `<wpt lat="${alarm.lat}" lon="${alarm.lon}"><time>${iso(alarm.time)}</time><name>${escapeXml(alarm.kind)}</name><type>alarm</type></wpt>\n`;
}

function trackExtension(result: TrackResult): string {
  const summary = Object.entries(summaryJson(result))
    .map(([key, value]) => `<ul:${key}>${value ?? ''}</ul:${key}>`)
    .join('');
  const stops = result.stops
    .map((s) => `<ul:stop lat="${s.lat}" lon="${s.lon}" start="${iso(s.startTime)}" end="${iso(s.endTime)}"/>`)
    .join('');
  return `<ul:track deviceId="${result.meta.deviceId}">${summary}${stops}</ul:track>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
