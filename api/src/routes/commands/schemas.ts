import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox';
import { NullableTimestamp, Timestamp } from '../../schemas/common.ts';

const UInt32 = Type.Integer({ minimum: 0, maximum: 0xffff_ffff });
const Expiry = Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 24 * 3600, description: 'seconds until a command not yet acknowledged (queued, or sent without a reply) expires; default from the server config' }));

function command<Name extends string, Fields extends Record<string, TSchema>>(type: Name, description: string, fields: Fields) {
  return Type.Object({ type: Type.Literal(type), ...fields, expiresInSeconds: Expiry }, { additionalProperties: false, description });
}

export const TextCommand = command('text', 'a message for the driver: JT/T 808 0x8300, GT06 0x80', {
  text: Type.String({ minLength: 1, maxLength: 1000 }),
  display: Type.Optional(Type.Boolean({ default: true, description: 'show on the terminal display' })),
  tts: Type.Optional(Type.Boolean({ default: true, description: 'read aloud (TTS)' })),
  urgent: Type.Optional(Type.Boolean({ default: false })),
});
export const LocateCommand = command('locate', 'report the position now: JT/T 808 0x8201, GT06 WHERE#', {});
export const TrackingCommand = command('tracking', 'temporary tracking: JT/T 808 0x8202', {
  intervalS: Type.Integer({ minimum: 0, maximum: 0xffff, description: 'seconds between reports; 0 stops tracking' }),
  validityS: UInt32,
});
export const QueryParametersCommand = command('queryParameters', 'read terminal parameters: JT/T 808 0x8104 (all) or 0x8106 (the listed ids)', {
  ids: Type.Optional(Type.Array(UInt32, { minItems: 1, maxItems: 255 })),
});
/**
 * A number or a text, as sent: one `type` list rather than a union, because the validator coerces a union's
 * branches (`"95555"` for the SMS number 0x0040 would become 95555, `30` for a server address "30").
 */
const ParameterValue = Type.Unsafe<number | string>({
  type: ['integer', 'string'],
  minimum: 0,
  maximum: 0xffff_ffff,
  maxLength: 255,
  description: 'a number for BYTE/WORD/DWORD parameters, text for STRING ones',
});
export const SetParametersCommand = command('setParameters', 'write terminal parameters: JT/T 808 0x8103', {
  parameters: Type.Array(
    Type.Object({ id: UInt32, value: ParameterValue }, { additionalProperties: false }),
    { minItems: 1, maxItems: 64 },
  ),
});
export const ControlCommand = command('control', 'terminal control: JT/T 808 0x8105 (1 upgrade … 7 connect to a server)', {
  command: Type.Integer({ minimum: 1, maximum: 7 }),
  params: Type.Optional(Type.String({ maxLength: 500 })),
});
export const EngineStopCommand = command('engineStop', 'cut the fuel/power relay: GT06', {});
export const EngineResumeCommand = command('engineResume', 'restore the relay: GT06', {});
export const CustomCommand = command(
  'custom',
  'a raw command: GT06 `text` (0x80 content); JT/T 808 `messageId` and `bodyHex`, framed with the session serial and the terminal phone, acknowledged by 0x0001',
  {
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'GT06: the command text' })),
    messageId: Type.Optional(Type.Integer({ minimum: 0x8000, maximum: 0xffff, description: 'JT/T 808: the platform message id (0x8000–0xFFFF, e.g. 33029 for 0x8105)' })),
    bodyHex: Type.Optional(Type.String({ pattern: '^([0-9a-fA-F]{2})*$', maxLength: 2046, description: 'JT/T 808: the message body in hex, at most 1023 bytes; default empty' })),
  },
);

const VARIANTS = [
  TextCommand,
  LocateCommand,
  TrackingCommand,
  QueryParametersCommand,
  SetParametersCommand,
  ControlCommand,
  EngineStopCommand,
  EngineResumeCommand,
  CustomCommand,
] as const;
type Variant = (typeof VARIANTS)[number];

export const COMMAND_TYPES = VARIANTS.map((variant) => (variant.properties.type as unknown as { const: string }).const);

/**
 * One of the command types, chosen by `type`: each variant applies only when `type` names it (if/then), so
 * a 400 names the wrong field of that variant rather than "must match a schema in oneOf".
 */
export const NewCommandBody = Type.Unsafe<Static<Variant>>({
  type: 'object',
  required: ['type'],
  description: VARIANTS.map((variant) => `\`${(variant.properties.type as unknown as { const: string }).const}\`: ${(variant as { description?: string }).description}`).join('; '),
  properties: { type: { type: 'string', enum: COMMAND_TYPES } },
  allOf: VARIANTS.map((variant) => ({ if: { properties: { type: { const: (variant.properties.type as unknown as { const: string }).const } } }, then: variant })),
});
export type NewCommandBody = Static<Variant>;

export const Command = Type.Object(
  {
    id: Type.Integer(),
    deviceId: Type.Integer(),
    type: Type.String(),
    params: Type.Record(Type.String(), Type.Unknown()),
    status: Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('acknowledged'), Type.Literal('failed'), Type.Literal('expired')]),
    correlation: Type.Union([Type.Integer(), Type.Null()], { description: 'the JT/T 808 serial or GT06 server flag the reply is matched on' }),
    reply: Type.Union([Type.String(), Type.Null()], { description: "the terminal's answer" }),
    error: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    sentAt: NullableTimestamp,
    ackedAt: NullableTimestamp,
    expiresAt: NullableTimestamp,
    createdBy: Type.Union([Type.Integer(), Type.Null()]),
  },
  { $id: 'Command' },
);

export const CommandListQuery = Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) });
// Command ids are bigint.
export const CommandParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
