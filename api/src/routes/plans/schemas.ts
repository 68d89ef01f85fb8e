import { Type } from '@fastify/type-provider-typebox';
import { Id } from '../../schemas/common.ts';
import { PRIORITIES } from '../tickets/schemas.ts';

export const NewPlanBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    categoryId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'covers its sub-categories' })),
    priority: Type.Optional(Type.Union([Type.Union(PRIORITIES.map((p) => Type.Literal(p))), Type.Null()])),
    alertUnitIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    steps: Type.Array(
      Type.Object({ title: Type.String({ minLength: 1, maxLength: 500 }), unitId: Type.Optional(Type.Union([Id, Type.Null()])) }, { additionalProperties: false }),
      { minItems: 1, maxItems: 100 },
    ),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const OpenPlanBody = Type.Object({ planId: Type.Optional(Id) }, { additionalProperties: false });
