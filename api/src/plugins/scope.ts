import type { FastifyRequest } from 'fastify';
import { userOf } from './auth.ts';
import { HttpError, notFound } from './errors.ts';

/**
 * The unit whose subtree the caller sees: null for admins (everything). A non-admin account without a unit
 * sees nothing, so it is refused rather than silently shown the whole city.
 */
export function scopeUnit(request: FastifyRequest): number | null {
  const user = userOf(request);
  if (user.role === 'admin') return null;
  if (user.unitId === null) throw new HttpError(403, 'your account belongs to no unit; ask an administrator to assign one');
  return user.unitId;
}

/** The ids of every unit the caller sees, or null for all; for filtering lists with `= ANY(ids)`. */
export async function unitScope(request: FastifyRequest): Promise<number[] | null> {
  const unit = scopeUnit(request);
  return unit === null ? null : request.server.unitTrees.subtreeIds(unit);
}

/**
 * Whether the caller may see something owned by `unitId`. Things without a unit belong to nobody's subtree
 * and are visible to admins only.
 */
export async function canSeeUnit(request: FastifyRequest, unitId: number | null): Promise<boolean> {
  const scope = scopeUnit(request);
  if (scope === null) return true;
  if (unitId === null) return false;
  return request.server.unitTrees.isWithin(unitId, scope);
}

/**
 * The ids of a unit's subtree when the unit exists and the caller sees it; 404 otherwise, the same answer for
 * a unit outside the caller's subtree as for a missing one, so that unit ids cannot be probed.
 */
export async function visibleUnitSubtree(request: FastifyRequest, unitId: number): Promise<number[]> {
  const scope = scopeUnit(request);
  if (scope !== null && !(await request.server.unitTrees.isWithin(unitId, scope))) throw notFound('unit', unitId);
  const subtree = await request.server.unitTrees.subtreeIds(unitId);
  if (subtree.length === 0) throw notFound('unit', unitId);
  return subtree;
}
