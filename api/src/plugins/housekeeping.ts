import fp from 'fastify-plugin';
import { deleteEndedSessions, expireOlderThan } from '@urbanlink/db';

/** Sessions that ended (expired or revoked) this long ago are deleted; the audit log keeps the sign-ins. */
const SESSION_RETENTION_MS = 30 * 24 * 3600 * 1000;

/**
 * Periodic housekeeping every `config.commandSweepMs`: commands past their expiry go from queued/sent to
 * expired (ingest never sends an expired command, as it reads only unexpired queued rows; this makes the
 * status say so), and long-ended sessions are deleted so the table does not grow for ever.
 */
export default fp(
  async (app) => {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    const sweep = async () => {
      try {
        const expired = await expireOlderThan(app.db, Date.now());
        if (expired.length > 0) app.log.info({ count: expired.length }, 'commands expired');
        await deleteEndedSessions(app.db, Date.now() - SESSION_RETENTION_MS);
      } catch (error) {
        app.log.warn({ err: error }, 'housekeeping sweep failed');
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
  { name: 'urbanlink-housekeeping', dependencies: ['urbanlink-db'] },
);
