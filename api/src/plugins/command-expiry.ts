import fp from 'fastify-plugin';
import { expireOlderThan } from '@urbanlink/db';

/**
 * Moves commands past their expiry from queued/sent to expired every `config.commandSweepMs`. Ingest never
 * sends an expired command (it reads only unexpired queued rows); this makes the status say so.
 */
export default fp(
  async (app) => {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    const sweep = async () => {
      try {
        const expired = await expireOlderThan(app.db, Date.now());
        if (expired.length > 0) app.log.info({ count: expired.length }, 'commands expired');
      } catch (error) {
        app.log.warn({ err: error }, 'command expiry sweep failed');
      }
    };
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        running ??= sweep().finally(() => (running = undefined));
      }, app.config.commandSweepMs);
      timer.unref();
    });
    app.addHook('preClose', async () => {
      clearInterval(timer);
      await running;
    });
  },
  { name: 'urbanlink-command-expiry', dependencies: ['urbanlink-db'] },
);
