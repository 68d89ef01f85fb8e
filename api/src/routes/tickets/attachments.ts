import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { findAttachmentContent, findTicketById, insertAttachment, insertTicketEvent, listAttachments } from '@urbanlink/db';
import { audit } from '../../plugins/audit.ts';
import { userOf } from '../../plugins/auth.ts';
import { HttpError } from '../../plugins/errors.ts';
import { IdParams } from '../../schemas/common.ts';
import { ACCEPTED_MEDIA_TYPES, sniffMediaType } from '../../tickets/media-types.ts';
import { assertCanSee } from './access.ts';
import { actorOf } from './actor.ts';
import { publishTicketChange } from './notify.ts';
import { AttachmentParams } from './schemas.ts';

const tags = ['tickets'];

/**
 * Photos, scanned letters and recordings of a ticket: one file per multipart upload, at most
 * ATTACHMENT_MAX_BYTES, its type judged by its first bytes (the client's claim is ignored), stored in the
 * database with the ticket.
 */
const attachments: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, { limits: { fileSize: app.ticketSettings.attachmentMaxBytes, files: 1, fields: 5 } });

  app.post('/api/tickets/:id/attachments', { schema: { tags, params: IdParams, consumes: ['multipart/form-data'] } }, async (request, reply) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    if (userOf(request).role === 'auditor') throw new HttpError(403, 'role auditor may not do this');
    const file = await request.file();
    if (!file) throw new HttpError(400, 'send one file as multipart/form-data / 请上传一个文件');
    const content = await file.toBuffer();
    const contentType = sniffMediaType(content.subarray(0, 16));
    if (!contentType) {
      throw new HttpError(415, `the file is not one of ${ACCEPTED_MEDIA_TYPES.join(', ')} / 不支持的文件类型`);
    }
    const actor = actorOf(request);
    const saved = await insertAttachment(app.db, { ticketId: ticket.id, fileName: file.filename || 'file', contentType, content, uploadedBy: actor.userId });
    const nowMs = app.ticketSettings.now();
    await insertTicketEvent(app.db, {
      ticketId: ticket.id, atMs: nowMs, kind: 'attachment', userId: actor.userId, actor: actor.name, note: saved.fileName,
      details: { attachmentId: saved.id, contentType, sizeBytes: saved.sizeBytes },
    });
    await audit(request, { action: 'ticket.attach', entityType: 'ticket', entityId: ticket.id, details: { attachmentId: saved.id, contentType } });
    await publishTicketChange(app, ticket, 'attachment', nowMs);
    return reply.code(201).send(saved);
  });

  app.get('/api/tickets/:id/attachments', { schema: { tags, params: IdParams } }, async (request) => {
    const ticket = await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    return listAttachments(app.db, ticket.id);
  });

  app.get('/api/tickets/:id/attachments/:attachmentId', { schema: { tags, params: AttachmentParams } }, async (request, reply) => {
    await assertCanSee(request, await findTicketById(app.db, request.params.id), request.params.id);
    const file = await findAttachmentContent(app.db, request.params.id, request.params.attachmentId);
    if (!file) throw new HttpError(404, `attachment ${request.params.attachmentId} not found`);
    return reply
      .type(file.contentType)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(file.content));
  });
};

export default attachments;
