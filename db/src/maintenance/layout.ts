import type { SqlExecutor } from '../sql-client.ts';

/** The tables that migrations create either as TimescaleDB hypertables or range-partitioned by day. */
export const TIME_PARTITIONED = { positions: 'fix_time', raw_frames: 'received_at' } as const;
export type TimePartitionedTable = keyof typeof TIME_PARTITIONED;

/**
 * Which branch the migrations took for `table`: a native partitioned table has relkind 'p'; a hypertable
 * is a plain table ('r') whose chunks TimescaleDB manages.
 */
export async function isHypertable(db: SqlExecutor, table: TimePartitionedTable): Promise<boolean> {
  const result = await db.query<{ relkind: string }>('SELECT relkind FROM pg_class WHERE oid = to_regclass($1::text)', [
    table,
  ]);
  const relkind = result.rows[0]?.relkind;
  if (relkind === undefined) throw new Error(`table ${table} does not exist; run urbanlink migrate`);
  return relkind !== 'p';
}
