/** One stored fix as track playback reads it: what the map, the writers and the summaries need, no more. */
export interface TrackPoint {
  fixTimeMs: number;
  lat: number;
  lon: number;
  speedKmh: number;
  course: number;
  altitudeM: number;
  valid: boolean;
}
