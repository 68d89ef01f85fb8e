import { Type } from '@fastify/type-provider-typebox';
import { Id } from '../../schemas/common.ts';
import { DispatchStatus, Protocol } from '../../schemas/devices.ts';

const UniqueId = Type.String({
  pattern: '^[0-9]{1,20}$',
  description: 'GT06: the 15-digit IMEI. JT/T 808: the terminal phone number (leading zeros are removed)',
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  protocol: Nullable(Protocol),
  plate: Nullable(Type.String({ minLength: 1, maxLength: 20, description: 'licence plate, e.g. 粤B12345' })),
  unitId: Nullable(Id),
  timeZoneOffsetMinutes: Nullable(Type.Integer({ minimum: -720, maximum: 840 })),
  model: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  lenient: Type.Boolean(),
  dispatchStatus: DispatchStatus,
  // One type list, not a union with null: the validator would coerce a refused 0 to null and clear the limit.
  speedLimitKmh: Type.Unsafe<number | null>({
    type: ['number', 'null'],
    exclusiveMinimum: 0,
    maximum: 300,
    description: 'km/h; a faster fix raises overspeed (超速); null: no limit of its own',
  }),
  attributes: Type.Record(Type.String(), Type.Unknown(), { maxProperties: 100, description: 'free-form; the speed limit is speedLimitKmh, not an attribute' }),
};

export const NewDeviceBody = Type.Object(
  {
    uniqueId: UniqueId,
    name: fields.name,
    protocol: Type.Optional(fields.protocol),
    plate: Type.Optional(fields.plate),
    unitId: Type.Optional(fields.unitId),
    timeZoneOffsetMinutes: Type.Optional(fields.timeZoneOffsetMinutes),
    model: Type.Optional(fields.model),
    lenient: Type.Optional(fields.lenient),
    dispatchStatus: Type.Optional(fields.dispatchStatus),
    speedLimitKmh: Type.Optional(fields.speedLimitKmh),
    attributes: Type.Optional(fields.attributes),
  },
  { additionalProperties: false },
);

export const DevicePatchBody = Type.Object(
  {
    uniqueId: Type.Optional(UniqueId),
    name: Type.Optional(fields.name),
    protocol: Type.Optional(fields.protocol),
    plate: Type.Optional(fields.plate),
    unitId: Type.Optional(fields.unitId),
    timeZoneOffsetMinutes: Type.Optional(fields.timeZoneOffsetMinutes),
    model: Type.Optional(fields.model),
    lenient: Type.Optional(fields.lenient),
    dispatchStatus: Type.Optional(fields.dispatchStatus),
    speedLimitKmh: Type.Optional(fields.speedLimitKmh),
    attributes: Type.Optional(fields.attributes),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DeviceListQuery = Type.Object({
  unitId: Type.Optional(Id),
  dispatchStatus: Type.Optional(DispatchStatus),
});
