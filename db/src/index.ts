// Schema, migrations and every SQL statement (PostgreSQL, TimescaleDB, PGlite). No other package imports pg.
export type { SqlClient, SqlExecutor, SqlTransaction, QueryResult } from './sql-client.ts';
export { openSqlClient, type OpenOptions } from './open.ts';
export { migrate, loadMigrations, selectSections, type Migration, type MigrationReport } from './migrate.ts';
export { isUniqueViolation } from './errors.ts';
export * from './queries/units.ts';
export * from './queries/devices.ts';
export * from './queries/commands.ts';
export * from './queries/users.ts';
export * from './queries/sessions.ts';
export * from './queries/audit.ts';
export * from './queries/tickets.ts';
export * from './queries/categories.ts';
export * from './queries/citizens.ts';
export * from './queries/plans.ts';
export * from './queries/followups.ts';
export * from './queries/surveys.ts';
export * from './queries/attachments.ts';
