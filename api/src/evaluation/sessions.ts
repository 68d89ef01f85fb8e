import type { RaterKind } from '@urbanlink/db';

/**
 * A public evaluation session counts only with enough raters, most of them from the public: at least 50,
 * of whom at least 70 % are citizen representatives or managed parties.
 */
export const MIN_RATERS = 50;
export const MIN_PUBLIC_SHARE = 0.7;
const PUBLIC_KINDS: readonly RaterKind[] = ['citizen', 'managed_party'];

export type SessionCheck = { ok: true; raters: number; publicShare: number } | { ok: false; reason: string; raters: number; publicShare: number };

export function checkSession(composition: Record<RaterKind, number>): SessionCheck {
  const raters = Object.values(composition).reduce((a, b) => a + b, 0);
  const publicRaters = PUBLIC_KINDS.reduce((n, kind) => n + composition[kind], 0);
  const publicShare = raters > 0 ? publicRaters / raters : 0;
  if (raters < MIN_RATERS) {
    return {
      ok: false, raters, publicShare,
      reason: `the session has ${raters} raters; at least ${MIN_RATERS} are needed / 评议人数 ${raters} 人，不足 ${MIN_RATERS} 人`,
    };
  }
  if (publicShare < MIN_PUBLIC_SHARE) {
    const pct = Math.floor(publicShare * 1000) / 10;
    return {
      ok: false, raters, publicShare,
      reason: `${publicRaters} of ${raters} raters (${pct} %) are citizens or managed parties; at least 70 % must be / 群众代表和管理相对人 ${publicRaters} 人，占 ${pct}%，不足 70%`,
    };
  }
  return { ok: true, raters, publicShare };
}
