import { Type } from '@fastify/type-provider-typebox';
import { Password, Role } from '../../schemas/users.ts';

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});

export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  role: Role,
  unitId: Type.Union([Type.Integer(), Type.Null()]),
});

export const LoginResponse = Type.Object({
  token: Type.String({ description: 'send as Authorization: Bearer <token>' }),
  expiresAt: Type.String({ format: 'date-time' }),
  user: Me,
});

export const PasswordChangeBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password },
  { additionalProperties: false },
);
