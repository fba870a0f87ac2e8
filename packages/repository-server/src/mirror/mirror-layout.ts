import { join } from 'node:path';
import { Uuid } from '@vrs/protocol';
import { MirrorError } from './mirror-error.js';

/** The largest cell position a mirror accepts (4 Mi cells, as manifests). */
export const MAX_POSITION = 4 * 1024 * 1024 - 1;

/** Takes a value from outside; returns it as a UUID fit for a path. Throws INVALID_INPUT otherwise. */
export function checkUuid(value: string, what: string): string {
  if (!Uuid.safeParse(value).success)
    throw new MirrorError('INVALID_INPUT', `${what} ${JSON.stringify(value)} is not a lower-case UUID`);
  return value;
}

/** Takes a value from outside; returns it as a cell position. Throws INVALID_INPUT otherwise. */
export function checkPosition(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_POSITION) {
    throw new MirrorError('INVALID_INPUT', `cell position ${value} is not an integer in 0..${MAX_POSITION}`);
  }
  return value;
}

/** Takes a cell position; returns its path under a disk directory: `blocks/NNN/NNNNNNNN` (1000 per folder). */
export function blockRelativePath(position: number): string {
  return join('blocks', String(Math.floor(position / 1000)).padStart(3, '0'), String(position).padStart(8, '0'));
}

/**
 * Paths of one VM's mirror. Names come only from validated UUIDs and integers, never from VM names:
 * `<root>/<vm>/disks/<disk>/{manifest.vrsm,layout,blocks/…}`, `<root>/<vm>/vrs-snapshot.json`,
 * `<root>/<vm>/staging/<session>/…`.
 */
export class MirrorLayout {
  readonly vmDir: string;

  constructor(
    root: string,
    readonly vm: string,
  ) {
    this.vmDir = join(root, checkUuid(vm, 'VM'));
  }

  diskDir(disk: string): string {
    return join(this.vmDir, 'disks', checkUuid(disk, 'disk'));
  }

  manifest(disk: string): string {
    return join(this.diskDir(disk), 'manifest.vrsm');
  }

  block(disk: string, position: number): string {
    return join(this.diskDir(disk), blockRelativePath(checkPosition(position)));
  }

  snapshotInfo(): string {
    return join(this.vmDir, 'vrs-snapshot.json');
  }

  stagingRoot(): string {
    return join(this.vmDir, 'staging');
  }

  session(session: string): string {
    return join(this.stagingRoot(), checkUuid(session, 'session'));
  }
}
