/**
 * The HTTP client of the nearest benchmark, run as a child process so that its own garbage and CPU do not land
 * in the server's latency, as a dispatcher's browser is another process. Reads one NearestClientJob as JSON on
 * stdin, logs in, sends each phase's requests on one keep-alive socket, and writes one NearestClientResult as
 * JSON on stdout.
 *
 * Thin on purpose: requests are prebuilt text written to a raw socket and answers are only framed (status line,
 * Content-Length), so the client makes almost no garbage between sending and timing. Requests are paced, one
 * every `intervalMs`, one at a time; a request held back because the previous answer was late is timed from
 * when it was due (its intended send time), so a server pause counts against every request it delays, not
 * just the one it caught (no coordinated omission). A request due while the socket was idle is timed from
 * when it was written: a late timer in this process is this process's delay, not the server's.
 */
import { connect, type Socket } from 'node:net';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export interface NearestClientPhase {
  name: string;
  /** Requests in order, each a route name (a key of `routes` in the result) and a path; the first `warmup` are sent but not timed. */
  requests: { route: string; path: string }[];
  warmup: number;
  /** Time between two intended sends. */
  intervalMs: number;
  /** When set, every answer of this route must be a JSON array of this many items. */
  expectItems?: { route: string; items: number };
}

export interface NearestClientJob {
  base: string;
  username: string;
  password: string;
  phases: NearestClientPhase[];
}

export interface NearestClientResult {
  /** Per phase, in job order: the time from the phase's first request to its last answer, in ns of the
   * monotonic clock, so the server can pick its GC pauses inside that window. */
  phases: {
    name: string;
    startedNs: number;
    endedNs: number;
    /** Each timed request: its route, when it is timed from and when its answer arrived, in ns of the
     * system's monotonic clock (process.hrtime, the same in every process), and whether a late answer held it back. */
    timed: TimedRequest[];
    /** This process's GC pauses during the phase, on the same clock. */
    clientGcPauses: Span[];
  }[];
}

export interface Span {
  startNs: number;
  endNs: number;
}

export interface TimedRequest {
  route: string;
  fromNs: number;
  answerNs: number;
  heldBack: boolean;
}

interface Answer {
  status: number;
  body: string;
  atNs: bigint;
}

/** One keep-alive HTTP/1.1 connection that frames answers by Content-Length. */
class Connection {
  readonly #socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: ((answer: Answer) => void) | null = null;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  send(request: string): Promise<Answer> {
    return new Promise((resolve) => {
      this.#waiting = resolve;
      this.#socket.write(request);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #read(chunk: Buffer): void {
    const atNs = process.hrtime.bigint();
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const headEnd = this.#buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.#buffer.toString('latin1', 0, headEnd);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? NaN);
    if (!Number.isFinite(length)) throw new Error(`an answer without Content-Length: ${head}`);
    if (this.#buffer.length < headEnd + 4 + length) return;
    const body = this.#buffer.toString('utf8', headEnd + 4, headEnd + 4 + length);
    this.#buffer = this.#buffer.subarray(headEnd + 4 + length);
    const waiting = this.#waiting!;
    this.#waiting = null;
    waiting({ status: Number(head.slice(9, 12)), body, atNs });
  }
}

function requestText(host: string, method: string, path: string, headers: Record<string, string>, body?: string): string {
  const lines = [`${method} ${path} HTTP/1.1`, `host: ${host}`, 'connection: keep-alive'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const job = JSON.parse(await readStdin()) as NearestClientJob;
const url = new URL(job.base);
const connection = await Connection.open(url.hostname, Number(url.port));
const credentials = JSON.stringify({ username: job.username, password: job.password });
const login = await connection.send(requestText(url.host, 'POST', '/api/auth/login', { 'content-type': 'application/json' }, credentials));
if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.body}`);
const authorization = `Bearer ${(JSON.parse(login.body) as { token: string }).token}`;

// The client's own pauses also delay the answers it times; they are reported so they are not blamed on the server.
// performance.now() counts on the same clock as process.hrtime, from this process's start.
const originNs = Number(process.hrtime.bigint()) - performance.now() * 1e6;
const clientGcPauses: Span[] = [];
const keepPauses = (entries: readonly PerformanceEntry[]) => {
  for (const entry of entries) clientGcPauses.push({ startNs: originNs + entry.startTime * 1e6, endNs: originNs + (entry.startTime + entry.duration) * 1e6 });
};
const observer = new PerformanceObserver((list) => keepPauses(list.getEntries()));
observer.observe({ entryTypes: ['gc'] });

const result: NearestClientResult = { phases: [] };
for (const phase of job.phases) {
  const texts = phase.requests.map(({ path }) => requestText(url.host, 'GET', path, { authorization }));
  const timed: TimedRequest[] = [];
  keepPauses(observer.takeRecords());
  clientGcPauses.length = 0;
  const intervalNs = BigInt(Math.round(phase.intervalMs * 1e6));
  const firstNs = process.hrtime.bigint();
  for (let i = 0; i < texts.length; i++) {
    const dueNs = firstNs + BigInt(i) * intervalNs;
    let nowNs = process.hrtime.bigint();
    const late = nowNs > dueNs;
    if (!late) {
      await sleep(Number(dueNs - nowNs) / 1e6);
      nowNs = process.hrtime.bigint();
    }
    // Late here means the previous answer came after this request was due: the server held it back.
    const fromNs = late ? dueNs : nowNs;
    const answer = await connection.send(texts[i]!);
    const { route, path } = phase.requests[i]!;
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${answer.body}`);
    if (i < phase.warmup) continue;
    timed.push({ route, fromNs: Number(fromNs), answerNs: Number(answer.atNs), heldBack: late });
    if (phase.expectItems?.route === route) {
      const items = JSON.parse(answer.body) as unknown;
      if (!Array.isArray(items) || items.length !== phase.expectItems.items) {
        throw new Error(`${path} answered ${Array.isArray(items) ? items.length : 'no'} items, not ${phase.expectItems.items}`);
      }
    }
  }
  const endedNs = Number(process.hrtime.bigint());
  keepPauses(observer.takeRecords());
  result.phases.push({ name: phase.name, startedNs: Number(firstNs), endedNs, timed, clientGcPauses: [...clientGcPauses] });
}
observer.disconnect();
connection.close();
process.stdout.write(JSON.stringify(result));
