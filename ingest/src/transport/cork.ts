import type { Writable } from 'node:stream';

/**
 * Holds what is written to `stream` during this tick and sends it in one write at the next: the acks one
 * commit releases, or the messages published after it, leave in one syscall instead of one each.
 */
export function corkUntilNextTick(stream: Writable): void {
  if (stream.writableCorked > 0 || stream.destroyed) return;
  stream.cork();
  process.nextTick(() => stream.uncork());
}
