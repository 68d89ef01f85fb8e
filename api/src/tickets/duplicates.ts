import { distanceMeters } from './geo.ts';

export interface DuplicateRule {
  radiusMeters: number;
  /** Only tickets registered this many hours before the new one are offered. */
  periodHours: number;
}

export const DEFAULT_DUPLICATE_RULE: DuplicateRule = { radiusMeters: 200, periodHours: 72 };

export interface DuplicateCandidate {
  id: number;
  number: string;
  categoryId: number;
  lat: number;
  lon: number;
  registeredAtMs: number;
}

export interface DuplicateOffer extends DuplicateCandidate {
  distanceMeters: number;
}

/**
 * Open tickets that may report the same problem: same category, close in place and time. The database
 * pre-filters by box and period; this keeps the ones truly within the radius, nearest first.
 */
export function findDuplicates(
  ticket: { categoryId: number; lat: number; lon: number; registeredAtMs: number },
  candidates: readonly DuplicateCandidate[],
  rule: DuplicateRule,
): DuplicateOffer[] {
  const earliest = ticket.registeredAtMs - rule.periodHours * 3_600_000;
  return candidates
    .filter((c) => c.categoryId === ticket.categoryId && c.registeredAtMs >= earliest)
    .map((c) => ({ ...c, distanceMeters: Math.round(distanceMeters(ticket.lat, ticket.lon, c.lat, c.lon)) }))
    .filter((c) => c.distanceMeters <= rule.radiusMeters)
    .sort((a, b) => a.distanceMeters - b.distanceMeters);
}
