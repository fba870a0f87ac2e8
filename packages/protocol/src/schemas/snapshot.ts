import { z } from 'zod';
import { ByteCount, DisplayName, Timestamp, Uuid } from './common.js';

/** How consistent a capture is: a power cut, quiesced applications, or memory included. */
export const Consistency = z.enum(['crash', 'application', 'full']);
export type Consistency = z.infer<typeof Consistency>;

/** The capture providers of ARCHITECTURE.md. */
export const CaptureMethod = z.enum(['offline', 'reflink', 'btrfs-snapshot', 'vss', 'vbox-transient', 'savestate']);
export type CaptureMethod = z.infer<typeof CaptureMethod>;

/** borg archive names vrs writes: `vm-<vm-uuid>-<UTC time>`, or `pinned-…` once pinned. */
export const ArchiveName = z.string().regex(/^(vm|pinned)-[0-9a-f-]{36}-\d{8}T\d{6}Z$/, 'not a vrs archive name');

/** A snapshot: one borg archive of a VM's mirror. */
export const Snapshot = z.object({
  id: Uuid,
  archive: ArchiveName,
  vmUuid: Uuid,
  hostId: Uuid,
  label: DisplayName,
  createdAt: Timestamp,
  consistency: Consistency,
  captureMethod: CaptureMethod,
  pinned: z.boolean(),
  disks: z.array(z.object({ uuid: Uuid, fileSize: ByteCount, changedBytes: ByteCount })).max(64),
  stats: z.object({ originalSize: ByteCount, deduplicatedSize: ByteCount }).nullable(),
});
export type Snapshot = z.infer<typeof Snapshot>;
