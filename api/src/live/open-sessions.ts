/** The close code of a WebSocket whose sign-in ended: the client must sign in again, not just reconnect. */
export const SESSION_ENDED_CLOSE_CODE = 4001;
const SESSION_ENDED_REASON = 'your session ended (signed out, expired or revoked); sign in again';

/** The sign-in a long-lived connection was opened with. */
export interface HeldSession {
  /** The token's SHA-256, as the sessions table keys it. */
  tokenHash: string;
  expiresAt: Date;
}

/** Which of these token hashes still belong to a valid session (unexpired, unrevoked, user enabled). */
export type ValidTokens = (tokenHashes: string[]) => Promise<Set<string>>;

interface Holder {
  session: HeldSession;
  end(code: number, reason: string): void;
}

/**
 * Sessions held open by WebSockets. A socket is authenticated once, at its upgrade, so without this it would
 * go on pushing after its token expired or was revoked. `check` closes the sockets of every session that has
 * expired (without asking the database) or is no longer valid there. It runs on a timer, which bounds how
 * late an expiry or another process's revocation ends a socket, and at once after this process revokes.
 */
export class OpenSessions {
  readonly #holders = new Set<Holder>();
  readonly #validTokens: ValidTokens;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | null = null;
  // A revocation that arrives during a check may have been read before it was written: check once more.
  #checkAgain = false;

  constructor(validTokens: ValidTokens, onError: (error: unknown) => void) {
    this.#validTokens = validTokens;
    this.#onError = onError;
  }

  /** Ends the connection through `end` when its session ends; call the returned function when it closes. */
  hold(session: HeldSession, end: (code: number, reason: string) => void): () => void {
    const holder = { session, end };
    this.#holders.add(holder);
    return () => void this.#holders.delete(holder);
  }

  start(intervalMs: number): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.check(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Closes the connections whose session ended; never rejects (a failed lookup is reported and kept open). */
  check(): Promise<void> {
    if (this.#checking) {
      this.#checkAgain = true;
      return this.#checking;
    }
    this.#checking = this.#closeEnded()
      .catch(this.#onError)
      .finally(() => {
        this.#checking = null;
        if (this.#checkAgain) {
          this.#checkAgain = false;
          void this.check();
        }
      });
    return this.#checking;
  }

  async #closeEnded(): Promise<void> {
    const now = Date.now();
    for (const holder of this.#holders) {
      if (holder.session.expiresAt.getTime() <= now) this.#end(holder);
    }
    // Only the holders asked about: a socket opened during the lookup is not judged by it.
    const asked = [...this.#holders];
    if (asked.length === 0) return;
    const valid = await this.#validTokens([...new Set(asked.map((holder) => holder.session.tokenHash))]);
    for (const holder of asked) {
      if (this.#holders.has(holder) && !valid.has(holder.session.tokenHash)) this.#end(holder);
    }
  }

  #end(holder: Holder): void {
    this.#holders.delete(holder);
    holder.end(SESSION_ENDED_CLOSE_CODE, SESSION_ENDED_REASON);
  }
}
