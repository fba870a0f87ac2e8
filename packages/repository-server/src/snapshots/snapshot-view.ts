import { CaptureMethod, Consistency } from '@vrs/protocol';
import { z } from 'zod';
import type { Snapshot as SnapshotRow } from '../catalog/generated/prisma/client.js';
import { fromJsonColumn } from '../catalog/json-column.js';

/** The per-disk figures a snapshot row keeps. */
export const SnapshotDisks = z.array(
  z.object({ uuid: z.string(), role: z.string().optional(), fileSize: z.number(), changedBytes: z.number() }),
);
/** borg's figures of an archive. */
export const SnapshotStats = z.object({ originalSize: z.number(), deduplicatedSize: z.number() });

/** A snapshot as clients see it. Consistency and method are null for archives found in borg without a catalog row. */
export interface SnapshotView {
  id: string;
  archive: string;
  vmUuid: string;
  hostId: string | null;
  label: string;
  createdAt: string;
  consistency: Consistency | null;
  captureMethod: CaptureMethod | null;
  pinned: boolean;
  disks: z.infer<typeof SnapshotDisks>;
  stats: z.infer<typeof SnapshotStats> | null;
  /** Bytes this snapshot added (sum of changed bytes of its disks). */
  newBytes: number;
}

/** Takes a Snapshot row; returns its view. */
export function snapshotView(row: SnapshotRow): SnapshotView {
  const disks = row.disks ? fromJsonColumn(SnapshotDisks, row.disks, 'Snapshot.disks') : [];
  return {
    id: row.id,
    archive: row.archive,
    vmUuid: row.vmUuid,
    hostId: row.hostId,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    consistency: row.consistency ? Consistency.parse(row.consistency) : null,
    captureMethod: row.captureMethod ? CaptureMethod.parse(row.captureMethod) : null,
    pinned: row.pinned,
    disks,
    stats: row.stats ? fromJsonColumn(SnapshotStats, row.stats, 'Snapshot.stats') : null,
    newBytes: disks.reduce((sum, d) => sum + d.changedBytes, 0),
  };
}
