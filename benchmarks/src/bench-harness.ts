import { performance } from 'node:perf_hooks';

/** One measured implementation of one case; every decode benchmark returns these, GT06 and JT/T 808 alike. */
export interface BenchRow {
  /** What was decoded, e.g. 'jt808 0x0200 + 12 items'. */
  readonly case: string;
  /** 'urbanlink', or 'binary-parser' for the baseline measured in the same run. */
  readonly implementation: string;
  /** Frames per second of this process's CPU time: what one core does, however busy the machine is. */
  readonly framesPerSecond: number;
  readonly nsPerFrame: number;
  /** Frames per second of wall time; lower than framesPerSecond when other work shares the cores. */
  readonly wallFramesPerSecond: number;
  /** Heap bytes allocated per frame, from a GC-free sample (needs `--expose-gc`; null without it). */
  readonly bytesPerFrame: number | null;
}

/** Decodes one chunk (several frames back to back) and returns how many frames it produced. */
export type ChunkDecoder = (chunk: Buffer) => number;

const WARMUP_MS = 300;
const MEASURE_MS = Number(process.env.BENCH_MS ?? 1500);
// Small enough that no scavenge runs inside it when the young generation is enlarged (see package.json).
const ALLOCATION_SAMPLE_CHUNKS = 200;

/** Runs `decode` over `chunk` repeatedly for a fixed time on this thread and reports throughput and allocation. */
export function measure(benchCase: string, implementation: string, chunk: Buffer, decode: ChunkDecoder): BenchRow {
  const perChunk = decode(chunk);
  if (perChunk <= 0) throw new Error(`${implementation} decoded no frames of ${benchCase}`);
  for (let start = performance.now(); performance.now() - start < WARMUP_MS; ) decode(chunk);
  let frames = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < MEASURE_MS) {
    for (let i = 0; i < 100; i++) frames += decode(chunk);
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    case: benchCase,
    implementation,
    framesPerSecond: (frames / cpuMs) * 1000,
    nsPerFrame: (cpuMs * 1e6) / frames,
    wallFramesPerSecond: (frames / elapsed) * 1000,
    bytesPerFrame: allocationPerFrame(chunk, decode, perChunk),
  };
}

function allocationPerFrame(chunk: Buffer, decode: ChunkDecoder, perChunk: number): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < ALLOCATION_SAMPLE_CHUNKS; i++) decode(chunk);
  const after = process.memoryUsage().heapUsed;
  return Math.max(0, (after - before) / (ALLOCATION_SAMPLE_CHUNKS * perChunk));
}

/** Prints every row with its ratio to the baseline row of the same case. */
export function printRows(rows: readonly BenchRow[], baseline = 'binary-parser'): void {
  const header = ['case', 'implementation', 'frames/cpu-s', 'ns/frame', 'frames/wall-s', 'bytes/frame', `× ${baseline}`];
  const lines = rows.map((row) => {
    const base = rows.find((r) => r.case === row.case && r.implementation === baseline);
    return [
      row.case,
      row.implementation,
      Math.round(row.framesPerSecond).toLocaleString('en-US'),
      row.nsPerFrame.toFixed(0),
      Math.round(row.wallFramesPerSecond).toLocaleString('en-US'),
      row.bytesPerFrame === null ? 'n/a' : row.bytesPerFrame.toFixed(0),
      base ? (row.framesPerSecond / base.framesPerSecond).toFixed(2) : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const line of [header, ...lines]) console.log(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
}
