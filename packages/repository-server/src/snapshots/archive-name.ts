import { ArchiveName } from '@vrs/protocol';
import { checkUuid } from '../mirror/mirror-layout.js';

/** Takes a VM UUID and a time; returns the archive name `vm-<uuid>-YYYYMMDDTHHMMSSZ` (UTC). */
export function makeArchiveName(vm: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `vm-${checkUuid(vm, 'VM')}-${stamp}`;
}

/** Takes a VM UUID; returns the glob that prune uses: pinned archives do not match it. */
export function pruneGlob(vm: string): string {
  return `vm-${checkUuid(vm, 'VM')}-*`;
}

/** Takes an archive name; returns its pinned name (out of the prune prefix), or unpinned name. */
export function pinnedName(archive: string, pinned: boolean): string {
  const parsed = ArchiveName.parse(archive);
  return pinned ? parsed.replace(/^vm-/, 'pinned-') : parsed.replace(/^pinned-/, 'vm-');
}

/** Takes an archive name; returns its VM UUID, time and pin state, or null for names vrs did not write. */
export function parseArchiveName(archive: string): { vm: string; at: Date; pinned: boolean } | null {
  const match = /^(vm|pinned)-([0-9a-f-]{36})-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(archive);
  if (!match) return null;
  const [, kind, vm, y, mo, d, h, mi, s] = match;
  return { vm: vm as string, at: new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`), pinned: kind === 'pinned' };
}
