import { Type } from '@fastify/type-provider-typebox';
import { Id } from '../../schemas/common.ts';
import { Password, Role, Username } from '../../schemas/users.ts';

const Name = Type.String({ minLength: 1, maxLength: 200 });

export const NewUserBody = Type.Object(
  {
    username: Username,
    password: Password,
    name: Type.Optional(Name),
    role: Role,
    unitId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'required for every role but admin' })),
  },
  { additionalProperties: false },
);

export const UserPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    password: Type.Optional(Password),
    role: Type.Optional(Role),
    unitId: Type.Optional(Type.Union([Id, Type.Null()])),
    disabled: Type.Optional(Type.Boolean({ description: 'a disabled user cannot sign in; open sessions are revoked' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
