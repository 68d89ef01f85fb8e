import { DEFAULT_BACKGROUND_THREADS_NICE, lowerBackgroundThreads } from 'urbanlink';

/**
 * Lowers this process's threads other than the event loop's as `urbanlink start` does, at
 * BACKGROUND_THREADS_NICE (its default unless set; 0 to compare without), and returns the line that says so.
 */
export async function lowerThreadsAsStartDoes(whose: string): Promise<string> {
  const nice = Number(process.env.BACKGROUND_THREADS_NICE || DEFAULT_BACKGROUND_THREADS_NICE);
  const lowered = await lowerBackgroundThreads(nice);
  return lowered > 0
    ? `${whose} ${lowered} threads other than the event loop's (GC and compiler workers, libuv's pool) at nice ${nice}, as \`urbanlink start\` sets them (BACKGROUND_THREADS_NICE)`
    : `${whose} threads other than the event loop's left as they were (BACKGROUND_THREADS_NICE=${nice}; \`urbanlink start\` uses ${DEFAULT_BACKGROUND_THREADS_NICE})`;
}
