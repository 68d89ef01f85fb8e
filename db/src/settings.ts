/**
 * Storage settings from the environment. Retention and compression act on whole days; 0 turns a policy off.
 */
export interface StorageSettings {
  /** POSITIONS_RETENTION_DAYS: drop positions older than this (default 0: keep forever). */
  positionsRetentionDays: number;
  /** POSITIONS_COMPRESS_AFTER_DAYS: TimescaleDB compresses chunks older than this (default 7; 0 = never). */
  positionsCompressAfterDays: number;
  /** POSITIONS_CHUNK_HOURS: TimescaleDB chunk interval (default 24). */
  positionsChunkHours: number;
  /** POSITIONS_PARTITIONS_AHEAD_DAYS: without TimescaleDB, day partitions created ahead (default 7). */
  partitionsAheadDays: number;
  /** RAW_FRAMES_ARCHIVE: 'on' keeps every frame received and sent (default off). */
  rawFramesArchive: boolean;
  /** RAW_FRAMES_RETENTION_DAYS: drop archived frames older than this (default 30; 0 = keep forever). */
  rawFramesRetentionDays: number;
}

/** Daily statistics are re-aggregated over this many recent days, so that late fixes reach their day. */
export const STATS_REFRESH_DAYS = 3;

/** Retention must leave the re-aggregated days in place, with a margin. */
export const MIN_RETENTION_DAYS = 7;

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${name} must be a whole number from ${min} to ${max}, got '${raw}' / ${name} 必须是 ${min} 到 ${max} 之间的整数，当前为 '${raw}'`,
    );
  }
  return value;
}

function retention(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const days = wholeNumber(env, name, fallback, 0, 36_500);
  if (days !== 0 && days < MIN_RETENTION_DAYS) {
    throw new Error(
      `${name} must be 0 (keep forever) or at least ${MIN_RETENTION_DAYS} days, got ${days} / ${name} 必须为 0（永久保留）或不少于 ${MIN_RETENTION_DAYS} 天，当前为 ${days}`,
    );
  }
  return days;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (['', '0', 'off', 'false', 'no'].includes(raw)) return false;
  if (['1', 'on', 'true', 'yes'].includes(raw)) return true;
  throw new Error(`${name} must be 'on' or 'off', got '${env[name]}' / ${name} 只能为 'on' 或 'off'，当前为 '${env[name]}'`);
}

export function loadStorageSettings(env: NodeJS.ProcessEnv = process.env): StorageSettings {
  return {
    positionsRetentionDays: retention(env, 'POSITIONS_RETENTION_DAYS', 0),
    positionsCompressAfterDays: wholeNumber(env, 'POSITIONS_COMPRESS_AFTER_DAYS', 7, 0, 36_500),
    positionsChunkHours: wholeNumber(env, 'POSITIONS_CHUNK_HOURS', 24, 1, 24 * 28),
    partitionsAheadDays: wholeNumber(env, 'POSITIONS_PARTITIONS_AHEAD_DAYS', 7, 1, 366),
    rawFramesArchive: flag(env, 'RAW_FRAMES_ARCHIVE'),
    rawFramesRetentionDays: retention(env, 'RAW_FRAMES_RETENTION_DAYS', 30),
  };
}
