import type { FastifyRequest } from 'fastify';
import type { Role } from '@urbanlink/db';
import { userOf } from '../../plugins/auth.ts';

/** Who takes a step: a signed-in user, or a named system part (arrival detector, gateway, Open311 app). */
export interface Actor {
  userId: number | null;
  name: string;
  role: Role;
}

export function actorOf(request: FastifyRequest): Actor {
  const user = userOf(request);
  return { userId: user.id, name: user.username, role: user.role };
}

/** Steps the system takes on its own are bound by the workflow's states, not by a role. */
export function systemActor(name: string): Actor {
  return { userId: null, name, role: 'admin' };
}
