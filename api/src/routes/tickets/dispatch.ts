import type { FastifyInstance } from 'fastify';
import {
  findDeviceById,
  findUnitById,
  insertCommand,
  insertTicketEvent,
  setTicketDispatchCommand,
  type DispatchMethod,
  type TicketRecord,
} from '@urbanlink/db';
import { commandTopic } from '../../live/topics.ts';
import { commandParams } from '../commands/params.ts';
import { HttpError } from '../../plugins/errors.ts';
import { dispatchText } from '../../tickets/dispatch-text.ts';
import type { Actor } from './actor.ts';
import { applyStep, loadTicket, setVehicleStatus } from './workflow.ts';
import { deliver } from './mail.ts';

export interface DispatchOrder {
  unitId?: number | null;
  deviceId?: number | null;
  method?: DispatchMethod;
  note?: string | null;
}

/**
 * Dispatches (派遣) a ticket to a unit at any level and optionally a vehicle. By terminal, the order goes
 * into the command queue as text, linked to the ticket so its acknowledgement shows there; by phone it is
 * recorded; by e-mail it is recorded against the unit's address. The vehicle becomes on task and the
 * arrival watch starts following it. Dispatching again reassigns.
 */
export async function dispatchTicket(app: FastifyInstance, ticketId: number, order: DispatchOrder, actor: Actor): Promise<TicketRecord> {
  const device = order.deviceId ? await findDeviceById(app.db, order.deviceId) : null;
  if (order.deviceId && !device) throw new HttpError(404, `device ${order.deviceId} not found / 车辆不存在`);
  if (device && device.dispatchStatus === 'unavailable') {
    throw new HttpError(409, `vehicle ${device.name} is unavailable and cannot take an order / 车辆不可用`);
  }
  const unitId = order.unitId ?? device?.unitId ?? null;
  if (unitId === null) throw new HttpError(400, 'name the unit (unitId) or a vehicle that belongs to one / 请指定单位或车辆');
  const unit = await findUnitById(app.db, unitId);
  if (!unit) throw new HttpError(404, `unit ${unitId} not found / 单位不存在`);
  const method: DispatchMethod = order.method ?? (device ? 'terminal' : 'none');
  if (method === 'terminal' && !device) throw new HttpError(400, "method 'terminal' needs a vehicle (deviceId) / 终端派遣需要指定车辆");
  if (method === 'email' && !unit.email) throw new HttpError(400, `unit ${unit.name} has no e-mail address / 单位没有电子邮箱`);
  let commandId: number | null = null;
  const previous = (await loadTicket(app, ticketId)).deviceId;
  const updated = await applyStep(app, ticketId, 'dispatched', actor, {
    viaOwnRoute: true,
    kind: 'dispatch',
    note: order.note ?? null,
    dispatch: { unitId, deviceId: device?.id ?? null, method, commandId: null },
    details: { unitId, unitName: unit.name, deviceId: device?.id ?? null, method, recipient: method === 'email' ? unit.email : method === 'phone' ? unit.phone : null },
    within: async (tx, ticket) => {
      if (method !== 'terminal' || !device) return;
      const text = dispatchText({ number: ticket.number, category: ticket.categoryName, address: ticket.address, priority: ticket.priority });
      const command = await insertCommand(tx, {
        deviceId: device.id,
        type: 'text',
        // Shown on the display and read aloud, urgent for anything but a normal ticket; the commands route's
        // own mapping, so ingest encodes it as it does any text command.
        params: { ...commandParams({ type: 'text', text, urgent: ticket.priority !== 'normal' }, device.protocol), ticketId: ticket.id },
        expiresAtMs: app.ticketSettings.now() + app.config.commandTtlSeconds * 1000,
        createdBy: actor.userId,
      });
      commandId = command.id;
      await setTicketDispatchCommand(tx, ticket.id, command.id);
    },
  });
  if (commandId !== null && device) {
    // The same notice the commands route sends: ingest holding the terminal's connection picks it up.
    await app.bus?.publish(commandTopic(device.uniqueId), { id: commandId }).catch((error: unknown) => {
      app.log.warn({ err: error, commandId }, 'could not announce a dispatch order; it waits in the queue');
    });
  }
  if (method === 'email' && unit.email) await mailOrder(app, updated, unit.email, actor);
  if (previous !== null && previous !== device?.id) await setVehicleStatus(app, previous, 'standby');
  if (device) await setVehicleStatus(app, device.id, 'on_task');
  // A ticket not yet placed on the map has no scene to arrive at; a unit member reports arrival by hand.
  if (device && updated.lat !== null && updated.lon !== null) {
    app.arrivalWatch.watch({ id: updated.id, deviceId: device.id, lat: updated.lat, lon: updated.lon });
  } else {
    app.arrivalWatch.forget(updated.id);
  }
  return updated;
}

/** Sends the order to the unit's address and records on the timeline whether it went. */
async function mailOrder(app: FastifyInstance, ticket: TicketRecord, to: string, actor: Actor): Promise<void> {
  const order = dispatchText({ number: ticket.number, category: ticket.categoryName, address: ticket.address, priority: ticket.priority });
  const outcome = await deliver(app.ticketMailer, {
    to,
    subject: order,
    text: `${order}\n\n${ticket.description}\n${ticket.lat !== null ? `${ticket.lat}, ${ticket.lon}` : ''}`,
  });
  await insertTicketEvent(app.db, {
    ticketId: ticket.id,
    atMs: app.ticketSettings.now(),
    kind: 'dispatch_mail',
    userId: actor.userId,
    actor: actor.name,
    details: { to, delivery: outcome.delivery, error: outcome.error },
  });
}
