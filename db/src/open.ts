import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { createPgClient } from './pg-client.ts';
import { createPgliteClient } from './pglite-client.ts';
import type { SqlClient } from './sql-client.ts';

export interface OpenOptions {
  /** PostgreSQL connection string; when absent, an embedded PGlite database under `dataDir`. */
  databaseUrl?: string | undefined;
  /** Where PGlite keeps its files; `memory://` for a throw-away database. */
  dataDir: string;
  maxConnections?: number;
}

/** Opens the database the configuration names, with an error that says which one could not be reached. */
export async function openSqlClient(options: OpenOptions): Promise<SqlClient> {
  if (options.databaseUrl) {
    try {
      return await createPgClient({ connectionString: options.databaseUrl, maxConnections: options.maxConnections });
    } catch (error) {
      const where = new URL(options.databaseUrl);
      throw new Error(
        `cannot connect to PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  if (options.dataDir === 'memory://') return createPgliteClient({});
  const dir = join(options.dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  return createPgliteClient({ dataDir: dir });
}
