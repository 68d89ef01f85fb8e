import type { FastifyRequest } from 'fastify';
import { findDeviceById, listDeviceStates, type DeviceRecord, type DeviceStateRecord } from '@urbanlink/db';
import { SPEED_LIMIT_ATTRIBUTE, speedLimitOf } from '../../alarms/speed-limit.ts';
import { HttpError, notFound } from '../../plugins/errors.ts';
import { canSeeUnit } from '../../plugins/scope.ts';
import type { Device } from '../../schemas/devices.ts';
import { toPositionJson } from '../../schemas/positions.ts';

/** The device when it exists and lies in the caller's subtree; 404 otherwise, so ids cannot be probed. */
export async function findVisibleDevice(request: FastifyRequest, id: number): Promise<DeviceRecord> {
  const device = await findDeviceById(request.server.db, id);
  if (!device || !(await canSeeUnit(request, device.unitId))) throw notFound('device', id);
  return device;
}

/**
 * A create or patch body as it is stored: `speedLimitKmh` goes into the attributes. A patch of one of the two
 * keeps the other as it was (`current`), so replacing the attributes does not drop the limit.
 */
export function storedFields<Body extends { speedLimitKmh?: number | null; attributes?: Record<string, unknown> }>(
  body: Body,
  current?: DeviceRecord,
): Omit<Body, 'speedLimitKmh'> {
  const { speedLimitKmh, ...rest } = body;
  if (rest.attributes && SPEED_LIMIT_ATTRIBUTE in rest.attributes) {
    throw new HttpError(400, 'the speed limit is set as speedLimitKmh, not as an attribute', `attributes.${SPEED_LIMIT_ATTRIBUTE}`);
  }
  if (speedLimitKmh === undefined && rest.attributes === undefined) return rest;
  const limit = speedLimitKmh !== undefined ? speedLimitKmh : current ? speedLimitOf(current.attributes) : null;
  const { [SPEED_LIMIT_ATTRIBUTE]: _old, ...others } = rest.attributes ?? current?.attributes ?? {};
  return { ...rest, attributes: limit === null ? others : { ...others, [SPEED_LIMIT_ATTRIBUTE]: limit } };
}

function view(device: DeviceRecord, state: DeviceStateRecord | undefined): Device {
  const { authCode: _secret, attributes: { [SPEED_LIMIT_ATTRIBUTE]: _limit, ...attributes }, ...fields } = device;
  return {
    ...fields,
    speedLimitKmh: speedLimitOf(device.attributes),
    attributes,
    status: state ? (state.online ? 'online' : 'offline') : 'unknown',
    lastSeenAt: state?.lastSeenAt ?? null,
    position: state?.position ? toPositionJson(state.position) : null,
  };
}

/** Devices as the API shows them: with connection status and newest fix, without the JT/T 808 auth code. */
export async function deviceViews(request: FastifyRequest, devices: DeviceRecord[], all = false): Promise<Device[]> {
  if (devices.length === 0) return [];
  const states = await listDeviceStates(request.server.db, all ? undefined : devices.map((device) => device.id));
  const byId = new Map(states.map((state) => [state.deviceId, state]));
  return devices.map((device) => view(device, byId.get(device.id)));
}
