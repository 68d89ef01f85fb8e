import type { SqlExecutor } from '../sql-client.ts';

export const ROLES = ['admin', 'agent', 'dispatcher', 'unit_member', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  name: string;
  role: Role;
  unitId: number | null;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  username: string;
  name?: string | undefined;
  passwordHash: string;
  role: Role;
  unitId?: number | null | undefined;
}

export interface UserPatch {
  name?: string | undefined;
  passwordHash?: string | undefined;
  role?: Role | undefined;
  unitId?: number | null | undefined;
  disabled?: boolean | undefined;
}

const COLUMNS = `id, username, name, role, unit_id AS "unitId", disabled, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Inserts a user; null when the username is taken. */
export async function insertUser(db: SqlExecutor, user: NewUser): Promise<User | null> {
  const result = await db.query<User>(
    `INSERT INTO users (username, name, password_hash, role, unit_id)
     VALUES ($1::text, $2::text, $3::text, $4::text, $5::integer)
     ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
    [user.username, user.name ?? user.username, user.passwordHash, user.role, user.unitId ?? null],
  );
  return result.rows[0] ?? null;
}

export async function getUser(db: SqlExecutor, id: number): Promise<User | null> {
  const result = await db.query<User>(`SELECT ${COLUMNS} FROM users WHERE id = $1::integer`, [id]);
  return result.rows[0] ?? null;
}

/** The user with its password hash, for login only. */
export async function getUserCredentials(db: SqlExecutor, username: string): Promise<(User & { passwordHash: string }) | null> {
  const result = await db.query<User & { passwordHash: string }>(
    `SELECT ${COLUMNS}, password_hash AS "passwordHash" FROM users WHERE username = $1::text`,
    [username],
  );
  return result.rows[0] ?? null;
}

/** Users whose unit is one of `unitIds` (null: every user), by username. */
export async function listUsers(db: SqlExecutor, unitIds: readonly number[] | null): Promise<User[]> {
  const result = await db.query<User>(
    `SELECT ${COLUMNS} FROM users WHERE $1::integer[] IS NULL OR unit_id = ANY($1::integer[]) ORDER BY username`,
    [unitIds],
  );
  return result.rows;
}

/** Changes the given fields; `unitId: null` clears the unit, an absent key leaves it. Null when no such user. */
export async function updateUser(db: SqlExecutor, id: number, patch: UserPatch): Promise<User | null> {
  const result = await db.query<User>(
    `UPDATE users SET
       name = coalesce($2::text, name),
       password_hash = coalesce($3::text, password_hash),
       role = coalesce($4::text, role),
       unit_id = CASE WHEN $5::boolean THEN $6::integer ELSE unit_id END,
       disabled = coalesce($7::boolean, disabled),
       updated_at = now()
     WHERE id = $1::integer RETURNING ${COLUMNS}`,
    [id, patch.name ?? null, patch.passwordHash ?? null, patch.role ?? null, 'unitId' in patch, patch.unitId ?? null, patch.disabled ?? null],
  );
  return result.rows[0] ?? null;
}

export async function deleteUser(db: SqlExecutor, id: number): Promise<boolean> {
  const result = await db.query(`DELETE FROM users WHERE id = $1::integer`, [id]);
  return result.rowCount > 0;
}
