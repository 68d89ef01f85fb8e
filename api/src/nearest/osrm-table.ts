export interface RoadCost {
  durationSeconds: number;
  distanceMeters: number | null;
}

export interface OsrmOptions {
  /** Base URL, e.g. http://osrm:5000 (OSRM_URL). */
  url: string;
  profile?: string;
  timeoutMs?: number;
}

interface TableResponse {
  code?: string;
  message?: string;
  durations?: (number | null)[][];
  distances?: (number | null)[][];
}

/**
 * Road travel time from each vehicle to one destination, in one OSRM `table` request
 * (`/table/v1/{profile}/{lon,lat;…}?sources=…&destinations=…`): the vehicles are the sources and the
 * destination is the last coordinate. Returns one entry per vehicle, null where OSRM found no route.
 * Throws when OSRM cannot answer, so the caller can fall back to great-circle ranking.
 */
export async function osrmTravelTimes(
  options: OsrmOptions,
  from: readonly { lat: number; lon: number }[],
  to: { lat: number; lon: number },
): Promise<(RoadCost | null)[]> {
  if (from.length === 0) return [];
  const coordinates = [...from, to].map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';');
  const sources = from.map((_, i) => i).join(';');
  const url = `${options.url.replace(/\/+$/, '')}/table/v1/${options.profile ?? 'driving'}/${coordinates}?sources=${sources}&destinations=${from.length}&annotations=duration,distance`;
  const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 1500) });
  const body = (await response.json()) as TableResponse;
  if (!response.ok || body.code !== 'Ok' || !Array.isArray(body.durations)) {
    throw new Error(`OSRM table request failed: ${body.code ?? response.status} ${body.message ?? ''}`.trim());
  }
  return from.map((_, i) => {
    const duration = body.durations![i]?.[0];
    if (typeof duration !== 'number') return null;
    const distance = body.distances?.[i]?.[0];
    return { durationSeconds: duration, distanceMeters: typeof distance === 'number' ? distance : null };
  });
}
