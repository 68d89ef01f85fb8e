import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { deleteDevice, findUnitById, insertDevice, isUniqueViolation, listDevices, updateDevice, type DevicePatch, type DeviceRecord } from '@urbanlink/db';
import { speedLimitOf } from '../../alarms/speed-limit.ts';
import { requireRole, userOf } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { HttpError, notFound } from '../../plugins/errors.ts';
import { scopeUnit, visibleUnitSubtree } from '../../plugins/scope.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { Device } from '../../schemas/devices.ts';
import { deviceViews, findVisibleDevice, storedFields } from './access.ts';
import { DeviceListQuery, DevicePatchBody, NewDeviceBody } from './schemas.ts';

/**
 * CONTRACT.md: GT06 devices are known by their 15-digit IMEI, JT/T 808 terminals by their phone number
 * without leading zeros (operators often copy it with them from the label, so they are removed here).
 */
function normaliseUniqueId(uniqueId: string, protocol: string | null | undefined): string {
  if (protocol === 'gt06' && !/^[0-9]{15}$/.test(uniqueId)) throw new HttpError(400, 'a GT06 uniqueId is the 15-digit IMEI', 'uniqueId');
  if (protocol !== 'jt808') return uniqueId;
  const stripped = uniqueId.replace(/^0+/, '');
  if (stripped === '') throw new HttpError(400, 'a JT/T 808 uniqueId is the terminal phone number', 'uniqueId');
  return stripped;
}

/** Devices: everyone reads their subtree's; admins register and edit them; dispatchers set dispatchStatus. */
const devices: FastifyPluginAsyncTypebox = async (app) => {
  // The unit must exist; only admins move devices between units, and they see every unit.
  const checkUnit = async (unitId: number | null | undefined) => {
    if (unitId != null && !(await findUnitById(app.db, unitId))) throw notFound('unit', unitId);
  };
  const changed = (deviceId: number, device: DeviceRecord | null) => app.liveFeed.emit('device', { deviceId, device });

  app.get(
    '/api/devices',
    { schema: { tags: ['devices'], querystring: DeviceListQuery, response: { 200: Type.Array(Device), ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const { unitId, dispatchStatus } = request.query;
      if (unitId !== undefined) await visibleUnitSubtree(request, unitId);
      const withinUnit = unitId ?? scopeUnit(request);
      const found = (await listDevices(app.db, { withinUnit })).filter((device) => !dispatchStatus || device.dispatchStatus === dispatchStatus);
      return deviceViews(request, found, withinUnit === null && !dispatchStatus);
    },
  );

  app.get(
    '/api/devices/:id',
    { schema: { tags: ['devices'], params: IdParams, response: { 200: Device, ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const [view] = await deviceViews(request, [await findVisibleDevice(request, request.params.id)]);
      return view!;
    },
  );

  app.post(
    '/api/devices',
    { preHandler: requireRole(), schema: { tags: ['devices'], body: NewDeviceBody, response: { 201: Device, ...errors(400, 401, 403, 404, 409) } } },
    async (request, reply) => {
      const body = { ...storedFields(request.body), uniqueId: normaliseUniqueId(request.body.uniqueId, request.body.protocol) };
      await checkUnit(body.unitId);
      const device = await insertDevice(app.db, body);
      if (!device) throw new HttpError(409, `a device with uniqueId ${body.uniqueId} already exists`);
      await audit(request, { action: 'device.create', entityType: 'device', entityId: device.id, details: body });
      changed(device.id, device);
      const [view] = await deviceViews(request, [device]);
      return reply.code(201).send(view!);
    },
  );

  app.patch(
    '/api/devices/:id',
    {
      preHandler: requireRole('dispatcher'),
      schema: { tags: ['devices'], params: IdParams, body: DevicePatchBody, response: { 200: Device, ...errors(400, 401, 403, 404, 409) } },
    },
    async (request) => {
      const current = await findVisibleDevice(request, request.params.id);
      const patch: DevicePatch = storedFields(request.body, current);
      if (userOf(request).role !== 'admin' && Object.keys(patch).some((key) => key !== 'dispatchStatus')) {
        throw new HttpError(403, 'dispatchers may change only dispatchStatus');
      }
      if (patch.uniqueId !== undefined || patch.protocol !== undefined) {
        const protocol = 'protocol' in patch ? patch.protocol : current.protocol;
        patch.uniqueId = normaliseUniqueId(patch.uniqueId ?? current.uniqueId, protocol);
      }
      await checkUnit(patch.unitId);
      const device = await updateDevice(app.db, current.id, patch).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new HttpError(409, `a device with uniqueId ${patch.uniqueId} already exists`);
        throw error;
      });
      if (!device) throw notFound('device', current.id);
      const was = (key: string) => (key === 'speedLimitKmh' ? speedLimitOf(current.attributes) : current[key as keyof DeviceRecord]);
      const before = Object.fromEntries(Object.keys(request.body).map((key) => [key, was(key)]));
      await audit(request, { action: 'device.update', entityType: 'device', entityId: device.id, details: { before, after: request.body } });
      changed(device.id, device);
      const [view] = await deviceViews(request, [device]);
      return view!;
    },
  );

  app.delete(
    '/api/devices/:id',
    { preHandler: requireRole(), schema: { tags: ['devices'], params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } } },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await deleteDevice(app.db, id))) throw notFound('device', id);
      await audit(request, { action: 'device.delete', entityType: 'device', entityId: id });
      changed(id, null);
      return reply.code(204).send(null);
    },
  );
};

export default devices;
