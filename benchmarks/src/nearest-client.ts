/**
 * The HTTP client of the nearest benchmark, run as a child process so that its own garbage and CPU do not land
 * in the server's latency, as a dispatcher's browser is another process. Reads one NearestClientJob as JSON on
 * stdin, logs in, sends each phase's requests one after another on one keep-alive socket, and writes one
 * NearestClientResult as JSON on stdout.
 */
import { Agent, request } from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';

export interface NearestClientPhase {
  name: string;
  /** Request paths in order; the first `warmup` are sent but not timed. */
  paths: string[];
  warmup: number;
  /** When set, every answer must be a JSON array of this many items. */
  expectItems?: number;
}

export interface NearestClientJob {
  base: string;
  username: string;
  password: string;
  phases: NearestClientPhase[];
}

export interface NearestClientResult {
  /** Per phase, in job order: the time from the phase's first request to its last answer, as epoch ms
   * (performance.timeOrigin + now), so the server can pick its GC pauses inside that window. */
  phases: { name: string; startedEpochMs: number; endedEpochMs: number; samplesNs: number[]; clientGcPausesMs: number[] }[];
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent }, (res) => {
      res.setEncoding('utf8');
      let text = '';
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const job = JSON.parse(await readStdin()) as NearestClientJob;
const login = await send(job.base, 'POST', '/api/auth/login', { 'content-type': 'application/json' }, JSON.stringify({ username: job.username, password: job.password }));
if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
const headers = { authorization: `Bearer ${(JSON.parse(login.text) as { token: string }).token}` };

// The client's own pauses also delay the answers it times; they are reported so they are not blamed on the server.
const clientGcPausesMs: number[] = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) clientGcPausesMs.push(entry.duration);
});
observer.observe({ entryTypes: ['gc'] });

const result: NearestClientResult = { phases: [] };
for (const phase of job.phases) {
  const samplesNs: number[] = [];
  observer.takeRecords();
  clientGcPausesMs.length = 0;
  const startedEpochMs = performance.timeOrigin + performance.now();
  for (let i = 0; i < phase.paths.length; i++) {
    const t = process.hrtime.bigint();
    const answer = await send(job.base, 'GET', phase.paths[i]!, headers);
    const body = JSON.parse(answer.text) as unknown;
    if (i >= phase.warmup) samplesNs.push(Number(process.hrtime.bigint() - t));
    if (answer.status !== 200) throw new Error(`${phase.paths[i]} answered ${answer.status}: ${answer.text}`);
    if (phase.expectItems !== undefined && (!Array.isArray(body) || body.length !== phase.expectItems)) {
      throw new Error(`${phase.paths[i]} answered ${Array.isArray(body) ? body.length : 'no'} items, not ${phase.expectItems}`);
    }
  }
  const endedEpochMs = performance.timeOrigin + performance.now();
  for (const entry of observer.takeRecords()) clientGcPausesMs.push(entry.duration);
  result.phases.push({ name: phase.name, startedEpochMs, endedEpochMs, samplesNs, clientGcPausesMs: [...clientGcPausesMs] });
}
observer.disconnect();
agent.destroy();
process.stdout.write(JSON.stringify(result));
