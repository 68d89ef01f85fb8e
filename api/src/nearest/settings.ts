import type { NearestSettings } from './nearest-vehicles.ts';

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${text}' / ${name} 必须是正数`);
  return value;
}

/**
 * Nearest-vehicle settings from the environment: OSRM_URL (road ranking; unset = great-circle only),
 * NEAREST_FRESH_SECONDS (default 300), NEAREST_ETA_SPEED_KMH (default 30), OSRM_CANDIDATES (default 20).
 */
export function nearestSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<NearestSettings> {
  const settings: Partial<NearestSettings> = {};
  const url = env.OSRM_URL?.trim();
  if (url) settings.osrm = { url };
  const fresh = positive(env, 'NEAREST_FRESH_SECONDS');
  if (fresh !== undefined) settings.freshSeconds = fresh;
  const speed = positive(env, 'NEAREST_ETA_SPEED_KMH');
  if (speed !== undefined) settings.etaSpeedKmh = speed;
  const candidates = positive(env, 'OSRM_CANDIDATES');
  if (candidates !== undefined) settings.osrmCandidates = Math.round(candidates);
  return settings;
}
