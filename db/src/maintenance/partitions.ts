import type { SqlClient } from '../sql-client.ts';
import { isHypertable, TIME_PARTITIONED, type TimePartitionedTable } from './layout.ts';

export interface PartitionOptions {
  nowMs: number;
  /** Day partitions exist from yesterday to this many days ahead. */
  aheadDays: number;
  /** Partitions whose whole day is older than this many days are dropped; 0 keeps everything. */
  retentionDays: number;
  table?: TimePartitionedTable;
}

export interface PartitionReport {
  created: string[];
  dropped: string[];
}

const DAY_MS = 86_400_000;

/** `positions_20261128` holds 2026-11-28 00:00 UTC up to the next midnight. */
function partitionName(table: string, dayMs: number): string {
  return `${table}_${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function dayOf(table: string, name: string): number | null {
  const match = new RegExp(`^${table}_(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}

/**
 * Native partitioning (no TimescaleDB): one partition per UTC day. A day, not a week: at the target rate
 * (tens of thousands of terminals every 5–30 s, up to ~170 M rows a day) a day's indexes still fit in
 * memory, retention drops whole days, and queries over a track touch only the days they span. Idempotent,
 * and safe to run from several processes at once (each step takes a per-table advisory lock).
 */
export async function maintainPartitions(client: SqlClient, options: PartitionOptions): Promise<PartitionReport> {
  const table = options.table ?? 'positions';
  const column = TIME_PARTITIONED[table];
  if (await isHypertable(client, table)) {
    throw new Error(`${table} is a TimescaleDB hypertable; its chunks follow applyTimescalePolicies`);
  }
  const children = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = to_regclass($1::text)`,
    [table],
  );
  const existing = new Set(children.rows.map((row) => row.name));
  const today = Math.floor(options.nowMs / DAY_MS) * DAY_MS;
  const cutoff = options.retentionDays > 0 ? options.nowMs - options.retentionDays * DAY_MS : -Infinity;
  const report: PartitionReport = { created: [], dropped: [] };

  for (let day = today - DAY_MS; day <= today + options.aheadDays * DAY_MS; day += DAY_MS) {
    const name = partitionName(table, day);
    if (existing.has(name) || day + DAY_MS <= cutoff) continue;
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    const created = await client.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1::text))', [table]);
      if ((await tx.query('SELECT to_regclass($1::text) AS t', [name])).rows[0]?.t) return false;
      // The default partition may already hold rows of this day; a new partition must take them over.
      await tx.exec(`
        CREATE TEMP TABLE moving (LIKE ${table}) ON COMMIT DROP;
        WITH moved AS (DELETE FROM ${table}_default WHERE ${column} >= '${from}' AND ${column} < '${to}' RETURNING *)
          INSERT INTO moving SELECT * FROM moved;
        CREATE TABLE ${name} PARTITION OF ${table} FOR VALUES FROM ('${from}') TO ('${to}');
        INSERT INTO ${table} SELECT * FROM moving;`);
      return true;
    });
    if (created) report.created.push(name);
  }

  for (const name of existing) {
    const day = dayOf(table, name);
    if (day === null || day + DAY_MS > cutoff) continue;
    await client.exec(`DROP TABLE IF EXISTS ${name}`);
    report.dropped.push(name);
  }
  if (cutoff > -Infinity) {
    await client.query(`DELETE FROM ${table}_default WHERE ${column} < $1::timestamptz`, [new Date(cutoff)]);
  }
  return report;
}
