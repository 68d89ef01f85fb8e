/**
 * Statistics on a year of a city: STATS_TICKETS (500 000) tickets with their timelines, terminal orders and
 * follow-ups, and STATS_VEHICLES (2 000) vehicles' daily aggregate, in a fresh PostgreSQL database. Every
 * statistic is asked through the whole API (auth, scope, SQL, JSON or XLSX) over the full year, and timed
 * beside the baseline measured in the same run: tickets by channel, one pass over the year's tickets with
 * no join, the least any ticket statistic can cost. The issue asks for under a second each.
 * Run: npm run -w @urbanlink/benchmarks stats   (BENCH_DATABASE_URL or TEST_DATABASE_URL picks the server)
 */
import { buildApp } from '@urbanlink/api';
import { createTestDatabase } from '@urbanlink/db/testing';
import { createCityYear } from './stats-data.ts';

if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;
// The generator writes the daily aggregate as a table, which is what native partitioning gives.
process.env.URBANLINK_TIMESCALEDB = 'off';

const TICKETS = Number(process.env.STATS_TICKETS ?? 500_000);
const VEHICLES = Number(process.env.STATS_VEHICLES ?? 2_000);
const RUNS = Number(process.env.STATS_RUNS ?? 5);
const YEAR = 2025;
const PASSWORD = 'bench-admin-password';
const PERIOD = `from=${YEAR}-01-01T00:00:00%2B08:00&to=${YEAR + 1}-01-01T00:00:00%2B08:00`;

const db = await createTestDatabase();
try {
  const loadStart = performance.now();
  await createCityYear(db.client, { tickets: TICKETS, vehicles: VEHICLES, year: YEAR });
  console.log(`generated ${TICKETS} tickets and ${VEHICLES} vehicles' year in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);

  const app = await buildApp({ client: db.client, logger: false, config: { adminPassword: PASSWORD, tickets: { followupSchedulerSeconds: 0 } } });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url, headers });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return response;
  };

  const districts = (await get('/api/units')).json<Array<{ id: number; kind: string }>>().filter((u) => u.kind === 'district');
  const squad = (await get('/api/units')).json<Array<{ id: number; kind: string }>>().find((u) => u.kind === 'squad')!;
  const stage = (m: number) => ({ startsAt: `${YEAR}-${String(m).padStart(2, '0')}-01T00:00:00+08:00`, dueAt: `${YEAR}-${String(m + 2).padStart(2, '0')}-01T00:00:00+08:00` });
  const campaign = await app.inject({
    method: 'POST', url: '/api/evaluation/campaigns', headers,
    payload: { year: YEAR, title: 'bench', unitIds: districts.map((d) => d.id), stages: { mobilise: stage(1), self_inspection: stage(3), supervised_evaluation: stage(6), summary: stage(9) } },
  });

  async function time(url: string): Promise<{ median: number; max: number; bytes: number }> {
    let bytes = (await get(url)).rawPayload.length;
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      bytes = (await get(url)).rawPayload.length;
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    return { median: samples[Math.floor(samples.length / 2)]!, max: samples.at(-1)!, bytes };
  }

  const cases: Array<[string, string]> = [
    ['tickets by category', `/api/stats/tickets?${PERIOD}&groupBy=category`],
    ['tickets by unit', `/api/stats/tickets?${PERIOD}&groupBy=unit`],
    ['tickets by district', `/api/stats/tickets?${PERIOD}&groupBy=district`],
    ['tickets by squad', `/api/stats/tickets?${PERIOD}&groupBy=squad`],
    ['tickets by day', `/api/stats/tickets?${PERIOD}&groupBy=day`],
    ['tickets by week', `/api/stats/tickets?${PERIOD}&groupBy=week`],
    ['tickets by month', `/api/stats/tickets?${PERIOD}&groupBy=month`],
    ['tickets by day, one squad', `/api/stats/tickets?${PERIOD}&groupBy=day&unitId=${squad.id}`],
    ['tickets by day as XLSX', `/api/stats/tickets?${PERIOD}&groupBy=day&format=xlsx`],
    ['durations (8 stages + acks)', `/api/stats/durations?${PERIOD}`],
    ['staff workload', `/api/stats/workload?${PERIOD}`],
    ['follow-up satisfaction', `/api/stats/satisfaction?${PERIOD}`],
    ['vehicle mileage (daily aggregate)', `/api/stats/vehicles?${PERIOD}`],
    ['hotspots (heat map + recurring)', `/api/stats/hotspots?${PERIOD}`],
    ['evaluation results (10 units)', `/api/evaluation/campaigns/${campaign.json<{ id: number }>().id}/results`],
  ];

  const baseline = await time(`/api/stats/tickets?${PERIOD}&groupBy=channel`);
  const line = (name: string, r: { median: number; max: number; bytes: number }, ratio: string) =>
    `${name.padEnd(36)} median ${r.median.toFixed(0).padStart(6)} ms  max ${r.max.toFixed(0).padStart(6)} ms  ${String(r.bytes).padStart(8)} B  ${ratio}`;
  console.log(`\n${TICKETS} tickets, ${VEHICLES} vehicles, year ${YEAR}; ${RUNS} runs each after one warm-up, through app.inject`);
  console.log(line('baseline: tickets by channel', baseline, '1.00 × baseline'));
  let slow = 0;
  for (const [name, url] of cases) {
    const r = await time(url);
    if (r.max >= 1000) slow++;
    console.log(line(name, r, `${(r.median / baseline.median).toFixed(2)} × baseline${r.max >= 1000 ? '  OVER 1 s' : ''}`));
  }
  console.log(slow === 0 ? '\nevery statistic answered in under a second' : `\n${slow} statistic(s) took a second or more`);
  await app.close();
} finally {
  await db.drop();
}
