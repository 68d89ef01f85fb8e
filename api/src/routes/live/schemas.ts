import { Type } from '@fastify/type-provider-typebox';

export const LiveQuery = Type.Object({
  token: Type.Optional(Type.String({ minLength: 1, description: 'the login token: browsers cannot set headers on a WebSocket' })),
});
