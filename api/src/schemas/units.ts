import { Type, type Static } from '@fastify/type-provider-typebox';
import { Timestamp } from './common.ts';

export const UnitKind = Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('squad')], {
  description: 'city bureau (市局), district bureau (区局) or squad (中队)',
});

export const Unit = Type.Object(
  {
    id: Type.Integer(),
    parentId: Type.Union([Type.Integer(), Type.Null()]),
    name: Type.String(),
    kind: UnitKind,
    phone: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
  },
  { $id: 'Unit' },
);
export type Unit = Static<typeof Unit>;
