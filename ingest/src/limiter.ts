/**
 * Runs at most `concurrency` tasks at once, the rest in arrival order. Ingest's database pool is shared by
 * position writes and per-terminal look-ups; a reconnect storm of thousands of logins must not queue ahead
 * of the group commits that acknowledge everyone's positions.
 */
export class Limiter {
  private readonly concurrency: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(concurrency: number) {
    this.concurrency = concurrency;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
