import { createCsvWriter } from './csv-writer.ts';
import { createGeojsonWriter } from './geojson-writer.ts';
import { createGpxWriter } from './gpx-writer.ts';
import { createJsonWriter } from './json-writer.ts';
import type { TrackFormat, TrackWriter } from './track-writer.ts';

const FACTORIES: Record<TrackFormat, () => TrackWriter> = {
  json: createJsonWriter,
  geojson: createGeojsonWriter,
  gpx: createGpxWriter,
  csv: createCsvWriter,
};

export function createTrackWriter(format: TrackFormat): TrackWriter {
  return FACTORIES[format]();
}
