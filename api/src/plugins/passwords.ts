import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';

// OWASP's argon2id minimum (19 MiB, 2 passes): strong enough for operator passwords and cheap enough that
// a burst of logins on a 2-core server does not starve terminal ingest.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    // A malformed stored hash is a failed login, not a server error.
    return false;
  }
}

/** A random password that is easy to type from a console: 20 characters of base64url. */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}

let decoy: Promise<string> | undefined;

/**
 * Spends the time of a real check when the username is unknown, so the answer's timing does not tell
 * which usernames exist.
 */
export async function verifyNobody(password: string): Promise<false> {
  decoy ??= hashPassword(randomPassword());
  await verifyPassword(await decoy, password);
  return false;
}
