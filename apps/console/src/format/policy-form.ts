import type { Policy, Retention } from '../api/api-types.js';

/** A policy as the editor holds it: every field as typed. */
export interface PolicyForm {
  name: string;
  schedule: string;
  keepWithin: string;
  hourly: string;
  daily: string;
  weekly: string;
  monthly: string;
  yearly: string;
  rpoMinutes: string;
}

/** The retention counts, in the order borg applies them. */
export const KEEP_FIELDS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;

/** Takes a policy (undefined: a new one); returns the editor's fields. */
export function toPolicyForm(p: Policy | undefined): PolicyForm {
  return {
    name: p?.name ?? '',
    schedule: p?.schedule ?? '0 * * * *',
    keepWithin: p?.keepWithin ?? '',
    hourly: String(p?.hourly ?? 8),
    daily: String(p?.daily ?? 7),
    weekly: String(p?.weekly ?? 3),
    monthly: String(p?.monthly ?? 0),
    yearly: String(p?.yearly ?? 0),
    rpoMinutes: String(p?.rpoMinutes ?? 120),
  };
}

const count = (text: string) => (/^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : null);

/**
 * Takes the editor's fields; returns the retention they describe, or the first problem (the server checks
 * again and says the same): counts are whole numbers, keep-within is empty or like 2H, 7d, 3w, 6m, 1y.
 */
export function parseRetention(f: PolicyForm): { retention: Retention } | { problem: string } {
  const keepWithin = f.keepWithin.trim();
  if (keepWithin && !/^[1-9]\d{0,4}[Hdwmy]$/.test(keepWithin)) {
    return { problem: 'keep within: expected e.g. 2H, 7d, 3w, 6m or 1y, or nothing' };
  }
  const counts: Partial<Record<(typeof KEEP_FIELDS)[number], number>> = {};
  for (const k of KEEP_FIELDS) {
    const n = count(f[k]);
    if (n === null) return { problem: `${k}: expected a whole number` };
    counts[k] = n;
  }
  return { retention: { keepWithin: keepWithin || null, ...(counts as Record<(typeof KEEP_FIELDS)[number], number>) } };
}

/** Takes the editor's fields and a valid retention; returns the whole policy to save, or the problem. */
export function parsePolicy(f: PolicyForm, retention: Retention) {
  const rpo = count(f.rpoMinutes);
  if (!f.name.trim()) return { problem: 'name: give the policy a name' } as const;
  if (rpo === null || rpo < 1) return { problem: 'RPO: expected whole minutes, at least 1' } as const;
  return { policy: { name: f.name.trim(), schedule: f.schedule.trim(), rpoMinutes: rpo, ...retention } } as const;
}
