import { Type } from '@fastify/type-provider-typebox';
import { Id } from '../../schemas/common.ts';

const Question = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    text: Type.String({ minLength: 1, maxLength: 1000 }),
    kind: Type.Union([Type.Literal('choice'), Type.Literal('score'), Type.Literal('text')]),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 2, maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const NewSurveyBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    questions: Type.Array(Question, { minItems: 1, maxItems: 50 }),
    categoryId: Type.Optional(Type.Union([Id, Type.Null()])),
    sampleRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'fraction of closed tickets whose reporters are surveyed' })),
  },
  { additionalProperties: false },
);

export const AssignBody = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'tickets registered from …' }),
    to: Type.String({ format: 'date-time', description: '… until (exclusive)' }),
  },
  { additionalProperties: false },
);

export const AssignmentQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('answered'), Type.Literal('declined')])),
});

export const AnswerBody = Type.Object(
  {
    status: Type.Union([Type.Literal('answered'), Type.Literal('declined')]),
    // Number first: the validator coerces types, and a score must not turn into text.
    answers: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Number(), Type.String({ maxLength: 4000 })]))),
  },
  { additionalProperties: false },
);
