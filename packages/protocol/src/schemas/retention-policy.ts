import { z } from 'zod';
import { DisplayName, Uuid } from './common.js';

/** borg's `--keep-within` interval: a count and one of H (hours), d, w, m (months), y. */
export const KeepWithin = z.string().regex(/^[1-9]\d{0,4}[Hdwmy]$/, 'expected e.g. 2H, 7d, 3w, 6m or 1y');

const keepCount = z.number().int().min(0).max(10_000);

/** A per-VM schedule and its retention, applied on the server with no host involved. */
export const RetentionPolicy = z.object({
  id: Uuid,
  name: DisplayName,
  schedule: z.string().min(9).max(100).describe('cron expression (croner syntax), in the server time zone'),
  keepWithin: KeepWithin.nullable(),
  hourly: keepCount,
  daily: keepCount,
  weekly: keepCount,
  monthly: keepCount,
  yearly: keepCount,
  rpoMinutes: z.number().int().min(1).max(525_600).describe('age of the last good snapshot that counts as late'),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

/** The seed document's retention: keep within 2 h, 8 hourly, 7 daily, 3 weekly; snapshots every hour. */
export const DEFAULT_RETENTION: Omit<RetentionPolicy, 'id'> = {
  name: 'default',
  schedule: '0 * * * *',
  keepWithin: '2H',
  hourly: 8,
  daily: 7,
  weekly: 3,
  monthly: 0,
  yearly: 0,
  rpoMinutes: 120,
};
