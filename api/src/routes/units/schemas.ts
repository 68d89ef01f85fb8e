import { Type } from '@fastify/type-provider-typebox';
import { Id } from '../../schemas/common.ts';
import { Boundary, UnitKind } from '../../schemas/units.ts';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Phone = Type.Union([Type.String({ maxLength: 40 }), Type.Null()]);
const Email = Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()]);
const NullableBoundary = Type.Union([Boundary, Type.Null()], { description: "the unit's area (辖区), GeoJSON Polygon or MultiPolygon; null clears it" });

export const NewUnitBody = Type.Object(
  {
    name: Name,
    kind: UnitKind,
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    boundary: Type.Optional(NullableBoundary),
  },
  { additionalProperties: false },
);

export const UnitPatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    kind: Type.Optional(UnitKind),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    phone: Type.Optional(Phone),
    email: Type.Optional(Email),
    boundary: Type.Optional(NullableBoundary),
  },
  { additionalProperties: false, minProperties: 1 },
);
