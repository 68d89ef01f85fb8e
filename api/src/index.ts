// HTTP API (fastify), OpenAPI document, WebSocket live push.
export {};
