import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { requireSecret } from '../telephony/secret.ts';
import { receiveMessage } from './inbound.ts';

const SmsBody = Type.Object({
  from: Type.String({ minLength: 3, maxLength: 40 }),
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  category: Type.Optional(Type.String({ maxLength: 64 })),
  messageId: Type.Optional(Type.String({ maxLength: 200 })),
});

const EmailBody = Type.Object({
  from: Type.String({ minLength: 3, maxLength: 320 }),
  subject: Type.Optional(Type.String({ maxLength: 500 })),
  text: Type.String({ minLength: 1, maxLength: 20_000 }),
  category: Type.Optional(Type.String({ maxLength: 64 })),
  messageId: Type.Optional(Type.String({ maxLength: 500 })),
});

const tags = ['tickets'];

/** Inbound webhooks of the SMS and e-mail gateways, authenticated by GATEWAY_SECRET. */
const webhooks: FastifyPluginAsyncTypebox = async (app) => {
  const gateway = requireSecret(() => app.ticketSettings.gatewaySecret);

  app.post('/api/webhooks/sms', { config: { public: true }, preHandler: gateway, schema: { tags, body: SmsBody } }, async (request, reply) => {
    const result = await receiveMessage(app, { channel: 'sms', ...request.body });
    return reply.code(result.created ? 201 : 200).send(result);
  });

  app.post('/api/webhooks/email', { config: { public: true }, preHandler: gateway, schema: { tags, body: EmailBody } }, async (request, reply) => {
    const { subject, text, ...rest } = request.body;
    const result = await receiveMessage(app, { channel: 'email', ...rest, text: subject ? `${subject}\n\n${text}` : text });
    return reply.code(result.created ? 201 : 200).send(result);
  });
};

export default webhooks;
