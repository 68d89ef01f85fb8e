import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SqlClient, SqlExecutor } from './sql-client.ts';

/**
 * Forward-only migrations: `db/migrations/NNNN_name.sql`, applied in order, each in one transaction that
 * first inserts its own row into `urbanlink_migrations`. A second process migrating at the same time blocks
 * on that row and then skips the step. Shipped files are never edited; a later file changes what an earlier
 * one made.
 *
 * A file may hold engine-specific sections, chosen once per database when the step runs:
 *   --! if timescale        (TimescaleDB is installed in this database)
 *   --! else
 *   --! end
 * TimescaleDB cannot convert a table that is already partitioned, so a table's branch is fixed when the
 * table is created.
 */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export interface MigrationContext {
  timescale: boolean;
}

export interface MigrationReport {
  applied: string[];
  version: number;
  timescale: boolean;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => FILE_PATTERN.test(file)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const [, id, name] = FILE_PATTERN.exec(file)!;
    if (migrations.some((m) => m.id === Number(id))) throw new Error(`two migrations share number ${id}`);
    migrations.push({ id: Number(id), name: name!, sql: await readFile(dir + file, 'utf8') });
  }
  return migrations;
}

/** Keeps the lines of the branches that apply to this database and drops the others. */
export function selectSections(sql: string, context: MigrationContext): string {
  const kept: string[] = [];
  // Each entry: does the enclosing branch apply?
  const stack: boolean[] = [];
  for (const line of sql.split('\n')) {
    const directive = /^--!\s*(if|else|end)\s*(\w*)\s*$/.exec(line.trim());
    if (directive) {
      const [, word, flag] = directive;
      if (word === 'if') {
        if (flag !== 'timescale') throw new Error(`unknown migration condition '${flag}'`);
        stack.push(context.timescale);
      } else if (word === 'else') {
        if (stack.length === 0) throw new Error('--! else without --! if');
        stack.push(!stack.pop()!);
      } else {
        if (stack.length === 0) throw new Error('--! end without --! if');
        stack.pop();
      }
      continue;
    }
    if (stack.every(Boolean)) kept.push(line);
  }
  if (stack.length > 0) throw new Error('--! if without --! end');
  return kept.join('\n');
}

// Any fixed number: two processes starting together serialise their bootstrap (table, extension) on it.
const BOOTSTRAP_LOCK = 0x75726c6b;

/** URBANLINK_TIMESCALEDB: `auto` (unset) takes TimescaleDB where it can; `off` keeps a new database off it. */
function timescaleSetting(): 'auto' | 'off' {
  const raw = process.env.URBANLINK_TIMESCALEDB;
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (value === 'off') return 'off';
  throw new Error(
    `URBANLINK_TIMESCALEDB must be 'auto' or 'off', got '${raw}' / URBANLINK_TIMESCALEDB 只能为 'auto' 或 'off'，当前为 '${raw}'`,
  );
}

/**
 * Whether `--! if timescale` sections apply. Once positions exists its layout decides, whatever the setting
 * says, so that neither installing TimescaleDB nor URBANLINK_TIMESCALEDB=off can split the schema between
 * branches. Before that, TimescaleDB is used when installed or installable and not turned off; a server that
 * lists it without preloading its library refuses CREATE EXTENSION, and then the native branch is taken.
 */
async function detectTimescale(tx: SqlExecutor, setting: 'auto' | 'off'): Promise<boolean> {
  const positions = await tx.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE oid = to_regclass('positions')`);
  if (positions.rows[0]) return positions.rows[0].relkind !== 'p';
  if (setting === 'off') return false;
  const installed = await tx.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  if (installed.rowCount > 0) return true;
  const available = await tx.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`);
  if (available.rowCount === 0) return false;
  await tx.exec('SAVEPOINT timescale');
  try {
    await tx.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
    await tx.exec('RELEASE SAVEPOINT timescale');
    return true;
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT timescale');
    return false;
  }
}

export async function migrate(client: SqlClient, migrations?: Migration[]): Promise<MigrationReport> {
  const setting = timescaleSetting();
  const known = migrations ?? (await loadMigrations());
  // CREATE … IF NOT EXISTS is not safe against a concurrent CREATE; the lock makes the second one wait.
  const timescale = await client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [BOOTSTRAP_LOCK]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS urbanlink_migrations (
      id integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    return detectTimescale(tx, setting);
  });
  const newest = known.at(-1)?.id ?? 0;
  const current = await client.query<{ id: number | null }>('SELECT max(id) AS id FROM urbanlink_migrations');
  const version = current.rows[0]?.id ?? 0;
  if (version > newest) {
    throw new Error(
      `the database schema is at version ${version}, newer than this UrbanLink knows (${newest}); upgrade UrbanLink before connecting it to this database / 数据库结构版本 ${version} 高于本程序支持的版本 ${newest}，请先升级 UrbanLink`,
    );
  }
  const context = { timescale };
  const applied: string[] = [];
  for (const migration of known) {
    if (migration.id <= version) continue;
    const ran = await client.transaction(async (tx) => {
      const claimed = await tx.query(
        'INSERT INTO urbanlink_migrations (id, name) VALUES ($1::integer, $2::text) ON CONFLICT (id) DO NOTHING RETURNING id',
        [migration.id, migration.name],
      );
      if (claimed.rowCount === 0) return false;
      await tx.exec(selectSections(migration.sql, context));
      return true;
    });
    if (ran) applied.push(`${String(migration.id).padStart(4, '0')}_${migration.name}`);
  }
  return { applied, version: Math.max(version, known.at(-1)?.id ?? 0), timescale: context.timescale };
}
