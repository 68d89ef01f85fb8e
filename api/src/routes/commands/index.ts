import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { findCommandById, insertCommand, listCommands } from '@urbanlink/db';
import { requireRole, userOf } from '../../plugins/auth.ts';
import { audit } from '../../plugins/audit.ts';
import { commandTopic } from '../../live/topics.ts';
import { notFound } from '../../plugins/errors.ts';
import { errors, IdParams } from '../../schemas/common.ts';
import { findVisibleDevice } from '../devices/access.ts';
import { commandParams } from './params.ts';
import { Command, CommandListQuery, CommandParams, NewCommandBody } from './schemas.ts';

/**
 * Commands to terminals. The API validates and queues the row, then tells ingest on MQTT
 * (`urbanlink/v1/devices/{uniqueId}/command`, `{ "id" }`); the ingest process holding the terminal's session
 * sends it and moves it queued → sent → acknowledged / failed. A device that is offline gets its queued
 * commands when it connects, until they expire.
 */
const commands: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/devices/:id/commands',
    {
      preHandler: requireRole('dispatcher'),
      schema: { tags: ['commands'], params: IdParams, body: NewCommandBody, response: { 202: Command, ...errors(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      const device = await findVisibleDevice(request, request.params.id);
      const params = commandParams(request.body, device.protocol);
      const ttlSeconds = request.body.expiresInSeconds ?? app.config.commandTtlSeconds;
      const command = await insertCommand(app.db, {
        deviceId: device.id,
        type: request.body.type,
        params,
        expiresAtMs: Date.now() + ttlSeconds * 1000,
        createdBy: userOf(request).id,
      });
      await audit(request, { action: 'command.send', entityType: 'device', entityId: device.id, details: { commandId: command.id, type: command.type, params } });
      // The row is the source of truth: if the bus is down, ingest still sends it when the terminal reconnects.
      await app.bus?.publish(commandTopic(device.uniqueId), { id: command.id }).catch((error: unknown) => {
        request.log.warn({ err: error, commandId: command.id }, 'could not notify ingest of a queued command');
      });
      return reply.code(202).send(command);
    },
  );

  app.get(
    '/api/commands/:id',
    { schema: { tags: ['commands'], params: CommandParams, response: { 200: Command, ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const command = await findCommandById(app.db, request.params.id);
      if (!command) throw notFound('command', request.params.id);
      // Visible only with its device: a command of another unit's vehicle is as unknown as the vehicle.
      await findVisibleDevice(request, command.deviceId).catch(() => {
        throw notFound('command', request.params.id);
      });
      return command;
    },
  );

  app.get(
    '/api/devices/:id/commands',
    { schema: { tags: ['commands'], params: IdParams, querystring: CommandListQuery, response: { 200: Type.Array(Command), ...errors(400, 401, 403, 404) } } },
    async (request) => {
      const device = await findVisibleDevice(request, request.params.id);
      return listCommands(app.db, device.id, request.query.limit);
    },
  );
};

export default commands;
