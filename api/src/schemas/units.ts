import { Type, type Static } from '@fastify/type-provider-typebox';
import type { UnitBoundary } from '@urbanlink/db';
import { Timestamp } from './common.ts';

export const UnitKind = Type.Union([Type.Literal('city'), Type.Literal('district'), Type.Literal('squad')], {
  description: 'city bureau (市局), district bureau (区局) or squad (中队)',
});

/**
 * The schema checks the outline; the nesting below three levels, the ranges and the closed rings are checked
 * by `boundaryProblem` (routes/units/boundary.ts), which names the exact position at fault.
 */
export const Boundary = Type.Unsafe<UnitBoundary>(
  Type.Object(
    {
      type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]),
      coordinates: Type.Array(Type.Array(Type.Array(Type.Unknown()), { minItems: 1 }), {
        minItems: 1,
        description:
          'Polygon: [ring, hole…]; MultiPolygon: [[ring, hole…], …]. A ring is [[lon, lat], …] in WGS-84 degrees, ' +
          'at least 4 positions, closed (the last position repeats the first).',
      }),
    },
    { additionalProperties: false, description: "the unit's area (辖区): a GeoJSON Polygon or MultiPolygon" },
  ),
);

export const Unit = Type.Object(
  {
    id: Type.Integer(),
    parentId: Type.Union([Type.Integer(), Type.Null()]),
    name: Type.String(),
    kind: UnitKind,
    phone: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    boundary: Type.Union([Boundary, Type.Null()]),
    createdAt: Timestamp,
  },
  { $id: 'Unit' },
);
export type Unit = Static<typeof Unit>;

/** Every visible unit that has a boundary, as one GeoJSON FeatureCollection for a map. */
export const UnitBoundaries = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object({
        type: Type.Literal('Feature'),
        id: Type.Integer({ description: 'the unit id' }),
        geometry: Boundary,
        properties: Type.Object({ id: Type.Integer(), parentId: Type.Union([Type.Integer(), Type.Null()]), name: Type.String(), kind: UnitKind }),
      }),
    ),
  },
  { description: 'GeoJSON (RFC 7946), WGS-84' },
);
