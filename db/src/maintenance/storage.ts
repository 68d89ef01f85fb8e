import type { SqlClient } from '../sql-client.ts';
import { STATS_REFRESH_DAYS, type StorageSettings } from '../settings.ts';
import { refreshDailyStats } from '../queries/daily-stats.ts';
import { isHypertable } from './layout.ts';
import { maintainPartitions, type PartitionReport } from './partitions.ts';
import { applyTimescalePolicies } from './timescale.ts';

export interface StorageReport {
  layout: 'hypertable' | 'partitioned';
  positions: PartitionReport;
  rawFrames: PartitionReport;
}

const DAY_MS = 86_400_000;
const NOTHING: PartitionReport = { created: [], dropped: [] };
// Re-adding a policy reschedules its job, so each process applies them once, on its first call.
const configured = new WeakSet<SqlClient>();

/**
 * What to run at start and then about hourly, whichever engine: TimescaleDB gets its policies once per
 * process (and runs them itself); native partitioning gets its day partitions made ahead and dropped by retention, and the
 * daily statistics of the last STATS_REFRESH_DAYS days recomputed.
 */
export async function maintainStorage(
  client: SqlClient,
  settings: StorageSettings,
  nowMs = Date.now(),
): Promise<StorageReport> {
  if (await isHypertable(client, 'positions')) {
    if (!configured.has(client)) await applyTimescalePolicies(client, settings);
    configured.add(client);
    return { layout: 'hypertable', positions: NOTHING, rawFrames: NOTHING };
  }
  const aheadDays = settings.partitionsAheadDays;
  const positions = await maintainPartitions(client, {
    nowMs,
    aheadDays,
    retentionDays: settings.positionsRetentionDays,
  });
  const rawFrames = await maintainPartitions(client, {
    nowMs,
    aheadDays,
    retentionDays: settings.rawFramesRetentionDays,
    table: 'raw_frames',
  });
  await refreshDailyStats(client, nowMs - (STATS_REFRESH_DAYS - 1) * DAY_MS, nowMs);
  return { layout: 'partitioned', positions, rawFrames };
}
