import { CaptureMethod, Consistency, DisplayName, Timestamp, Uuid } from '@vrs/protocol';
import { z } from 'zod';

/** The role of a captured file: a disk image, the `.vbox`, the NVRAM, or a saved state. */
export const FileRole = z.enum(['disk', 'config', 'nvram', 'state']);

/**
 * `vrs-snapshot.json`, at the root of every archive, so that an archive describes itself without vrs:
 * the VM, the host, when and how it was captured, and for each file its grid and manifest path.
 */
export const SnapshotInfo = z.object({
  format: z.literal(1),
  vm: z.object({ uuid: Uuid, name: DisplayName }),
  host: z.object({ id: Uuid, name: DisplayName }),
  label: DisplayName,
  createdAt: Timestamp,
  captureMethod: CaptureMethod,
  consistency: Consistency,
  disks: z
    .array(
      z.object({
        uuid: Uuid,
        role: FileRole,
        sourcePath: z.string().max(4096),
        grid: z.object({
          kind: z.enum(['vdi', 'fixed']),
          fileSize: z.number().int().nonnegative(),
          headerLength: z.number().int().nonnegative(),
          blockSize: z.number().int().positive(),
        }),
        manifest: z.string().regex(/^disks\/[0-9a-f-]{36}\/manifest\.vrsm$/),
      }),
    )
    .max(64),
});
export type SnapshotInfo = z.infer<typeof SnapshotInfo>;
