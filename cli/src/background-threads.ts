import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';

/** BACKGROUND_THREADS_NICE when unset. */
export const DEFAULT_BACKGROUND_THREADS_NICE = 10;

/**
 * Gives every thread of this process but the event loop's a higher nice value (a lower priority): V8's
 * garbage-collector and compiler workers and libuv's thread pool. Terminals and HTTP requests are all served
 * by the event loop, and on a small machine a woken event loop waited behind those threads: `perf sched`
 * during the nearest benchmark showed it 1.5–3.5 ms in the run queue of a core where a GC worker ran while the
 * other core was idle. With the workers at nice 10, answers over 2 ms fell by 27–51 % in five alternating pairs
 * of runs, and ingest's throughput did not change in nine (benchmarks/RESULTS.md). The workers still get every
 * idle cycle.
 *
 * Linux only: the nice value is a per-thread attribute there, and `setpriority` takes a thread id. A thread
 * already at this nice value or lower in priority (the whole process started with `nice -n 15`) is left as it
 * is, so this never raises a priority. Threads started later (a worker_threads Worker) keep theirs. Returns how
 * many threads were lowered; 0 where threads cannot be listed or `niceness` is 0.
 */
export async function lowerBackgroundThreads(niceness: number): Promise<number> {
  if (niceness === 0 || process.platform !== 'linux') return 0;
  // libuv starts its thread pool with the first task given to it: one file-system call, so its threads exist.
  await stat(process.execPath);
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const name of threads) {
    const threadId = Number(name);
    if (threadId === process.pid) continue;
    try {
      if (getPriority(threadId) >= niceness) continue;
      setPriority(threadId, niceness);
      lowered += 1;
    } catch {
      // The thread ended since it was listed.
    }
  }
  return lowered;
}
