import { Type, type Static } from '@fastify/type-provider-typebox';
import { Timestamp } from './common.ts';
// Mirrors ROLES in @urbanlink/db (which the table's CHECK enforces); spelled out so TypeScript keeps the literals.
export const Role = Type.Union([
  Type.Literal('admin'),
  Type.Literal('agent'),
  Type.Literal('dispatcher'),
  Type.Literal('unit_member'),
  Type.Literal('auditor'),
]);

export const User = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    name: Type.String(),
    role: Role,
    unitId: Type.Union([Type.Integer(), Type.Null()]),
    disabled: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'User' },
);
export type User = Static<typeof User>;

/** Usernames: letters, digits and `._-`, so they are safe in logs and URLs. */
export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' });
export const Password = Type.String({ minLength: 8, maxLength: 256 });
