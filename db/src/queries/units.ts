import type { SqlExecutor } from '../sql-client.ts';

/** City bureau (市局) → district bureau (区局) → squad (中队). */
export type UnitKind = 'city' | 'district' | 'squad';

/** [lon, lat] in WGS-84 degrees, as GeoJSON orders them. */
export type LonLat = [number, number];

/** A unit's area as GeoJSON; each ring closed (last position = first). The API validates it. */
export type UnitBoundary = { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] };

export interface UnitRecord {
  id: number;
  parentId: number | null;
  name: string;
  kind: UnitKind;
  phone: string | null;
  email: string | null;
  boundary: UnitBoundary | null;
  createdAt: Date;
}

export interface NewUnit {
  parentId?: number | null;
  name: string;
  kind: UnitKind;
  phone?: string | null;
  email?: string | null;
  boundary?: UnitBoundary | null;
}

export type UnitPatch = Partial<NewUnit>;

const COLUMNS = `id, parent_id AS "parentId", name, kind, phone, email, boundary, created_at AS "createdAt"`;

/**
 * The ids of the unit `$1` and every unit below it; empty when the unit does not exist. UNION, not UNION
 * ALL, so that even a corrupted cycle terminates.
 */
export const SUBTREE_CTE = `WITH RECURSIVE subtree(id) AS (
    SELECT id FROM units WHERE id = $1::integer
    UNION
    SELECT u.id FROM units u JOIN subtree s ON u.parent_id = s.id
  )`;

export async function insertUnit(db: SqlExecutor, unit: NewUnit): Promise<UnitRecord> {
  const result = await db.query<UnitRecord>(
    `INSERT INTO units (parent_id, name, kind, phone, email, boundary)
     VALUES ($1::integer, $2::text, $3::text, $4::text, $5::text, $6::jsonb)
     RETURNING ${COLUMNS}`,
    [unit.parentId ?? null, unit.name, unit.kind, unit.phone ?? null, unit.email ?? null, jsonOrNull(unit.boundary)],
  );
  return result.rows[0]!;
}

export async function findUnitById(db: SqlExecutor, id: number): Promise<UnitRecord | null> {
  const result = await db.query<UnitRecord>(`SELECT ${COLUMNS} FROM units WHERE id = $1::integer`, [id]);
  return result.rows[0] ?? null;
}

/** Every unit, or only `withinUnit` and its descendants; ordered by id. */
export async function listUnits(db: SqlExecutor, options: { withinUnit?: number | null } = {}): Promise<UnitRecord[]> {
  if (options.withinUnit == null) {
    return (await db.query<UnitRecord>(`SELECT ${COLUMNS} FROM units ORDER BY id`)).rows;
  }
  const result = await db.query<UnitRecord>(
    `${SUBTREE_CTE} SELECT ${COLUMNS} FROM units WHERE id IN (SELECT id FROM subtree) ORDER BY id`,
    [options.withinUnit],
  );
  return result.rows;
}

export type UnitBoundaryRecord = Pick<UnitRecord, 'id' | 'parentId' | 'name' | 'kind'> & { boundary: UnitBoundary };

/** The units that have a boundary, all of them or `withinUnit`'s subtree; ordered by id. */
export async function listUnitBoundaries(db: SqlExecutor, options: { withinUnit?: number | null } = {}): Promise<UnitBoundaryRecord[]> {
  const columns = `id, parent_id AS "parentId", name, kind, boundary`;
  if (options.withinUnit == null) {
    return (await db.query<UnitBoundaryRecord>(`SELECT ${columns} FROM units WHERE boundary IS NOT NULL ORDER BY id`)).rows;
  }
  const result = await db.query<UnitBoundaryRecord>(
    `${SUBTREE_CTE} SELECT ${columns} FROM units WHERE boundary IS NOT NULL AND id IN (SELECT id FROM subtree) ORDER BY id`,
    [options.withinUnit],
  );
  return result.rows;
}

export async function unitSubtreeIds(db: SqlExecutor, unitId: number): Promise<number[]> {
  const result = await db.query<{ id: number }>(`${SUBTREE_CTE} SELECT id FROM subtree ORDER BY id`, [unitId]);
  return result.rows.map((row) => row.id);
}

/** Whether `unitId` is `ancestorId` or lies below it: the check behind every per-unit permission. */
export async function isUnitWithin(db: SqlExecutor, unitId: number, ancestorId: number): Promise<boolean> {
  const result = await db.query(`${SUBTREE_CTE} SELECT 1 FROM subtree WHERE id = $2::integer`, [ancestorId, unitId]);
  return result.rowCount > 0;
}

/** Null when the unit does not exist; throws when the new parent lies inside the unit's own subtree. */
export async function updateUnit(db: SqlExecutor, id: number, patch: UnitPatch): Promise<UnitRecord | null> {
  if (patch.parentId != null && (await isUnitWithin(db, patch.parentId, id))) {
    throw new Error(`unit ${patch.parentId} lies inside unit ${id}; a unit cannot be moved under itself`);
  }
  // Each column is set only when its key is present, so a patch can also clear a field to null.
  const result = await db.query<UnitRecord>(
    `UPDATE units SET
       parent_id = CASE WHEN $2::boolean THEN $3::integer ELSE parent_id END,
       name = COALESCE($4::text, name),
       kind = COALESCE($5::text, kind),
       phone = CASE WHEN $6::boolean THEN $7::text ELSE phone END,
       email = CASE WHEN $8::boolean THEN $9::text ELSE email END,
       boundary = CASE WHEN $10::boolean THEN $11::jsonb ELSE boundary END
     WHERE id = $1::integer
     RETURNING ${COLUMNS}`,
    [
      id,
      'parentId' in patch,
      patch.parentId ?? null,
      patch.name ?? null,
      patch.kind ?? null,
      'phone' in patch,
      patch.phone ?? null,
      'email' in patch,
      patch.email ?? null,
      'boundary' in patch,
      jsonOrNull(patch.boundary),
    ],
  );
  return result.rows[0] ?? null;
}

/** False when the unit does not exist; throws (foreign key) while it still has child units. */
export async function deleteUnit(db: SqlExecutor, id: number): Promise<boolean> {
  const result = await db.query('DELETE FROM units WHERE id = $1::integer', [id]);
  return result.rowCount > 0;
}

function jsonOrNull(value: unknown): string | null {
  return value == null ? null : JSON.stringify(value);
}
