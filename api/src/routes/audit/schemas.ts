import { Type } from '@fastify/type-provider-typebox';
import { DateTime, Id, Timestamp } from '../../schemas/common.ts';

export const AuditEntry = Type.Object(
  {
    id: Type.Integer(),
    at: Timestamp,
    userId: Type.Union([Type.Integer(), Type.Null()]),
    username: Type.Union([Type.String(), Type.Null()]),
    unitId: Type.Union([Type.Integer(), Type.Null()]),
    action: Type.String({ description: '`<entity>.<verb>`, e.g. device.update, command.send' }),
    entityType: Type.String(),
    entityId: Type.Union([Type.String(), Type.Null()]),
    details: Type.Record(Type.String(), Type.Unknown()),
    ip: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'AuditEntry' },
);

export const AuditQuery = Type.Object({
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  userId: Type.Optional(Id),
  entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  beforeId: Type.Optional(Type.Integer({ minimum: 1, description: 'next page: the smallest id of the previous page' })),
});
