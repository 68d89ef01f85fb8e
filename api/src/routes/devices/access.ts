import type { FastifyRequest } from 'fastify';
import { findDeviceById, listDeviceStates, type DeviceRecord, type DeviceStateRecord } from '@urbanlink/db';
import { notFound } from '../../plugins/errors.ts';
import { canSeeUnit } from '../../plugins/scope.ts';
import type { Device } from '../../schemas/devices.ts';
import { toPositionJson } from '../../schemas/positions.ts';

/** The device when it exists and lies in the caller's subtree; 404 otherwise, so ids cannot be probed. */
export async function findVisibleDevice(request: FastifyRequest, id: number): Promise<DeviceRecord> {
  const device = await findDeviceById(request.server.db, id);
  if (!device || !(await canSeeUnit(request, device.unitId))) throw notFound('device', id);
  return device;
}

function view(device: DeviceRecord, state: DeviceStateRecord | undefined): Device {
  const { authCode: _secret, ...fields } = device;
  return {
    ...fields,
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
