// The checks a delete needs before its button is enabled: a preview that
// counted something to delete, nothing blocked (or blocked ones skipped),
// the object's API name typed, the password — or, where the server checks
// no password (trust authentication, the sandbox), the exact count typed —
// and, when scheduled, a spec. The server checks again; this only keeps the
// button honest.
import type { Preview } from '$lib/api';

/** What the person typed and chose. */
export interface ConfirmInput {
  typedObject: string;
  password: string;
  typedCount: string;
  skipBlocked: boolean;
  scheduled: boolean;
  spec: string;
}

/** One unmet check, as a message key (see en.delete.ts). */
export type Unmet =
  | 'del.check.preview'
  | 'del.check.nothing'
  | 'del.check.blocked'
  | 'del.check.object'
  | 'del.check.password'
  | 'del.check.count'
  | 'del.check.spec';

/** Parses a typed count: digits with optional , or space separators; null otherwise. */
export function parseCount(s: string): number | null {
  const v = s.trim().replace(/[,\s_]/g, '');
  if (!/^\d+$/.test(v)) return null;
  return Number(v);
}

/** The checks not met yet, in the order the page shows them (empty: ready). */
export function unmetChecks(pv: Preview | null, c: ConfirmInput): Unmet[] {
  if (!pv) return ['del.check.preview'];
  const out: Unmet[] = [];
  if (pv.total === 0 && !c.scheduled) out.push('del.check.nothing');
  if (pv.blocked > 0 && !c.skipBlocked) out.push('del.check.blocked');
  if (c.typedObject.trim() !== pv.object) out.push('del.check.object');
  if (pv.check === 'count') {
    if (parseCount(c.typedCount) !== pv.total) out.push('del.check.count');
  } else if (c.password === '') {
    out.push('del.check.password');
  }
  if (c.scheduled && c.spec.trim() === '') out.push('del.check.spec');
  return out;
}
