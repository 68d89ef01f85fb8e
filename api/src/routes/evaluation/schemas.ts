import { Type } from '@fastify/type-provider-typebox';
import { EVALUATION_STAGES, RATER_KINDS, SUBMISSION_KINDS, TICKET_MEASURES } from '@urbanlink/db';
import { FORMULA_COMPONENTS } from '../../evaluation/formula.ts';
import { DateTime, Id } from '../../schemas/common.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const Weight = Type.Number({ minimum: 0, maximum: 100 });
export const FormulaBody = Type.Object(
  Object.fromEntries(FORMULA_COMPONENTS.map((name) => [name, Weight])) as Record<(typeof FORMULA_COMPONENTS)[number], typeof Weight>,
  { additionalProperties: false, description: 'weights of the work-performance components (see formulaText in the results)' },
);

const StageWindow = Type.Object({ startsAt: DateTime, dueAt: DateTime }, { additionalProperties: false });

const settings = {
  formula: Type.Optional(FormulaBody),
  commendCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'top units commended; 3 by default' })),
  superviseCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'last units put under special supervision; 1 by default' })),
  remindDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 90, description: 'days before a deadline from which units are reminded; 7 by default' })),
};

export const NewCampaignBody = Type.Object(
  {
    year: Type.Integer({ minimum: 2000, maximum: 2100 }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    stages: Type.Object(Object.fromEntries(EVALUATION_STAGES.map((s) => [s, StageWindow])) as Record<(typeof EVALUATION_STAGES)[number], typeof StageWindow>, {
      additionalProperties: false,
      description: 'the four stages, each with its start and deadline',
    }),
    unitIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true, description: 'the units under evaluation' }),
    ...settings,
  },
  { additionalProperties: false },
);

export const CampaignPatchBody = Type.Object(settings, { additionalProperties: false });

export const SubmissionBody = Type.Object(
  {
    unitId: Id,
    stage: literals(EVALUATION_STAGES),
    kind: literals(SUBMISSION_KINDS),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    content: Type.String({ minLength: 1, maxLength: 200_000 }),
  },
  { additionalProperties: false },
);

export const AtQuery = Type.Object({ at: Type.Optional(DateTime) }, { additionalProperties: false });

export const SessionBody = Type.Object({ title: Type.String({ minLength: 1, maxLength: 200 }), heldAt: DateTime }, { additionalProperties: false });

export const RatersBody = Type.Object(
  {
    raters: Type.Array(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 100 }), kind: literals(RATER_KINDS), organisation: Type.Optional(Type.String({ maxLength: 200 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

export const ScoresBody = Type.Object(
  {
    scores: Type.Array(
      Type.Object(
        {
          raterId: Id,
          unitId: Id,
          score: Type.Number({ minimum: 0, maximum: 100, description: 'the questionnaire total out of 100' }),
          answers: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'the questionnaire as answered' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20_000 },
    ),
  },
  { additionalProperties: false },
);

export const UnitParams = Type.Object({ id: Id, unitId: Id });

export const TraceQuery = Type.Object(
  { measure: literals(['total', ...TICKET_MEASURES] as const), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) },
  { additionalProperties: false },
);
