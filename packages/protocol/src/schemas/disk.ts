import { z } from 'zod';
import { ByteCount, Uuid } from './common.js';

/** Disk image formats VirtualBox attaches; vrs cuts VDI on its own grid and all others in 1 MiB blocks. */
export const DiskFormat = z.enum(['VDI', 'VMDK', 'VHD', 'RAW']);
export type DiskFormat = z.infer<typeof DiskFormat>;

/** One image of a disk's differencing chain, base first. */
export const ChainImage = z.object({
  uuid: Uuid,
  path: z.string().min(1).max(4096),
  format: DiskFormat,
});
export type ChainImage = z.infer<typeof ChainImage>;

/** A hard disk attached to a VM: where it sits and which images make it up. */
export const Disk = z.object({
  uuid: Uuid.describe('medium UUID of the base image: stable across native snapshots'),
  controller: z.string().min(1).max(100),
  port: z.number().int().min(0).max(255),
  device: z.number().int().min(0).max(255),
  format: DiskFormat,
  path: z.string().min(1).max(4096).describe('the current (leaf) image'),
  virtualSize: ByteCount,
  chain: z.array(ChainImage).min(1).max(256),
});
export type Disk = z.infer<typeof Disk>;
