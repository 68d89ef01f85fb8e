import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Serves the built web console at `/`. The console switches screens in the page, not by URL, so only its
 * files need routes: one per file found at start (`wildcard: false`), which leaves every other path to the
 * API's JSON 404.
 */
const consolePlugin: FastifyPluginAsync<{ root: string }> = async (app, { root }) => {
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: 'index.html' });
};

export default consolePlugin;
