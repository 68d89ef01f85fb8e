import { haversineMeters } from './geodesy.ts';
import type { TrackPage } from './track-page.ts';

/**
 * The great-circle metres from each valid fix to the valid fix before it, across pages: 0 for the first
 * valid fix and for invalid ones (no satellite lock, stale coordinates). The totals and the trip detector
 * both sum these, so each hop is measured once.
 */
export class HopMeter {
  #lat = 0;
  #lon = 0;
  #started = false;

  measure(page: TrackPage): Float64Array {
    const hops = new Float64Array(page.length);
    for (let i = 0; i < page.length; i++) {
      if (!page.valid[i]) continue;
      const lat = page.lat[i]!;
      const lon = page.lon[i]!;
      if (this.#started) hops[i] = haversineMeters(this.#lat, this.#lon, lat, lon);
      this.#started = true;
      this.#lat = lat;
      this.#lon = lon;
    }
    return hops;
  }
}
