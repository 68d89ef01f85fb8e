import type { SessionUser } from '@urbanlink/db';

export interface SessionCacheOptions {
  /** How long a looked-up session is trusted without asking the database again. */
  ttlMs: number;
  /** Tokens remembered at most; the oldest is forgotten first. */
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  session: SessionUser;
  until: number;
}

/**
 * Valid sessions this process looked up in the last `ttlMs`, by token hash, so that a console polling the
 * API does not pay a database round trip per request. An entry never outlives its session's expiry. The
 * process that revokes (logout, password change, user disabled or deleted, sessions ended) calls `clear`,
 * so there revocation takes effect at once; another process (a second API instance, the CLI) revoking
 * a session is seen here at most `ttlMs` later. Unknown tokens are not remembered: a caller guessing
 * tokens cannot fill the cache, and a token signed in elsewhere works at once.
 */
export class SessionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  // Bumped by `clear`: a lookup that began before a revocation must not store what it read.
  #generation = 0;

  constructor(options: SessionCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Taken before a database lookup and handed back to `put` with its result. */
  get generation(): number {
    return this.#generation;
  }

  get(tokenHash: string): SessionUser | null {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return null;
    if (entry.until > this.#now()) return entry.session;
    this.#entries.delete(tokenHash);
    return null;
  }

  put(tokenHash: string, session: SessionUser, generation: number): void {
    if (generation !== this.#generation || this.#ttlMs <= 0) return;
    const until = Math.min(this.#now() + this.#ttlMs, session.expiresAt.getTime());
    this.#entries.delete(tokenHash);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(tokenHash, { session, until });
  }

  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }
}
