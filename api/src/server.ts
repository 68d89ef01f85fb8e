import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from './app.ts';

export interface StartOptions extends AppOptions {
  port: number;
  host?: string | undefined;
}

export interface RunningApi {
  app: FastifyInstance;
  /** Stops accepting, lets requests in flight finish, closes WebSockets and the MQTT connection. */
  close(): Promise<void>;
}

/** Builds the API and listens on `port` (0 picks a free one: read it from `app.server.address()`). */
export async function startApi(options: StartOptions): Promise<RunningApi> {
  const app = await buildApp(options);
  try {
    await app.listen({ port: options.port, host: options.host ?? '0.0.0.0' });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`HTTP port ${options.port} is already in use / HTTP 端口 ${options.port} 已被占用`, { cause: error });
    }
    throw error;
  }
  return { app, close: () => app.close() };
}
