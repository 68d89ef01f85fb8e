import fp from 'fastify-plugin';

type MetricsSource = () => string | Promise<string>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Adds a producer of Prometheus text lines to `/metrics` (live clients, ingest counters…). */
    addMetrics(source: MetricsSource): void;
  }
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface RouteStats {
  count: number;
  sum: number;
  buckets: number[];
}

function label(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/**
 * `/metrics` in Prometheus text format: HTTP requests by route and status with a latency histogram, a
 * database round-trip probe, and whatever other plugins (and `urbanlink start`, through `extraMetrics`) add.
 * Routes are labelled by their pattern (`/api/devices/:id`), never the raw URL, to keep the series bounded.
 */
export default fp<{ extraMetrics?: (() => string) | undefined }>(
  async (app, options) => {
    const requests = new Map<string, number>();
    const latency = new Map<string, RouteStats>();
    const sources: MetricsSource[] = [];
    app.decorate('addMetrics', (source: MetricsSource) => void sources.push(source));

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      const key = `method="${request.method}",route="${label(route)}"`;
      const counted = `${key},status="${reply.statusCode}"`;
      requests.set(counted, (requests.get(counted) ?? 0) + 1);
      const seconds = reply.elapsedTime / 1000;
      let stats = latency.get(key);
      if (!stats) latency.set(key, (stats = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }));
      stats.count += 1;
      stats.sum += seconds;
      BUCKETS.forEach((bound, i) => {
        if (seconds <= bound) stats.buckets[i]! += 1;
      });
    });

    async function databaseLines(): Promise<string[]> {
      const started = process.hrtime.bigint();
      const up = await app.db.query('SELECT 1').then(() => 1, () => 0);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      return [
        '# HELP urbanlink_db_up Whether the database answered a probe query.',
        '# TYPE urbanlink_db_up gauge',
        `urbanlink_db_up{engine="${app.db.engine}"} ${up}`,
        '# HELP urbanlink_db_probe_seconds Round-trip time of the probe query, which waits for a free pool connection.',
        '# TYPE urbanlink_db_probe_seconds gauge',
        `urbanlink_db_probe_seconds ${seconds}`,
        ...poolLines(),
      ];
    }

    /** Read after the probe, so the probe's own connection counts as idle again. Absent on PGlite. */
    function poolLines(): string[] {
      const pool = app.db.poolStats();
      if (!pool) return [];
      return [
        '# HELP urbanlink_db_pool_connections Open database connections, in use (busy) or idle.',
        '# TYPE urbanlink_db_pool_connections gauge',
        `urbanlink_db_pool_connections{state="busy"} ${pool.total - pool.idle}`,
        `urbanlink_db_pool_connections{state="idle"} ${pool.idle}`,
        '# HELP urbanlink_db_pool_waiting Callers waiting for a free database connection.',
        '# TYPE urbanlink_db_pool_waiting gauge',
        `urbanlink_db_pool_waiting ${pool.waiting}`,
      ];
    }

    function httpLines(): string[] {
      const lines = ['# HELP urbanlink_http_requests_total HTTP requests answered.', '# TYPE urbanlink_http_requests_total counter'];
      for (const [labels, count] of requests) lines.push(`urbanlink_http_requests_total{${labels}} ${count}`);
      lines.push('# HELP urbanlink_http_request_duration_seconds Time to answer an HTTP request.', '# TYPE urbanlink_http_request_duration_seconds histogram');
      for (const [labels, stats] of latency) {
        BUCKETS.forEach((bound, i) => lines.push(`urbanlink_http_request_duration_seconds_bucket{${labels},le="${bound}"} ${stats.buckets[i]}`));
        lines.push(`urbanlink_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${stats.count}`);
        lines.push(`urbanlink_http_request_duration_seconds_sum{${labels}} ${stats.sum}`);
        lines.push(`urbanlink_http_request_duration_seconds_count{${labels}} ${stats.count}`);
      }
      return lines;
    }

    app.get('/metrics', { schema: { hide: true }, config: { public: true } }, async (_request, reply) => {
      const extra = await Promise.all([...sources, ...(options.extraMetrics ? [options.extraMetrics] : [])].map((source) => source()));
      const text = [...httpLines(), ...(await databaseLines()), ...extra.map((block) => block.trimEnd())].join('\n') + '\n';
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
    });
  },
  { name: 'urbanlink-metrics', dependencies: ['urbanlink-db'] },
);
