import type { ArchiveSummary } from '@vrs/borg';
import { ArchiveName, DisplayName, Uuid } from '@vrs/protocol';
import { parseArchiveName } from '../snapshots/archive-name.js';
import type { Repository, Snapshot } from './generated/prisma/client.js';
import type { Catalog } from './open-catalog.js';

/** What reconcileSnapshots changed, by archive name. */
export interface ReconcileResult {
  /** Archives vrs wrote that had no row: a row was created. */
  added: string[];
  /** Rows whose archive is gone from borg: deleted. */
  removed: string[];
  /** Rows whose pin state was wrong (renamed to or from `pinned-…`): fixed; the new names. */
  repinned: string[];
  /** Rows whose label differed from the archive comment: fixed. */
  relabelled: string[];
  /** Archives vrs did not write (no vrs name): left alone, no row. */
  foreign: string[];
}

/** A vrs archive of the listing, parsed. */
interface VrsArchive {
  name: string;
  vm: string;
  at: Date;
  pinned: boolean;
  label: string;
}

/** Takes a borg comment and the archive name; returns the label: the comment made a DisplayName, else the name. */
function labelOf(comment: string, archive: string): string {
  const label = comment
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
    .slice(0, 200);
  return DisplayName.safeParse(label).success && label.length > 0 ? label : archive;
}

/** Takes an archive listing; returns vrs's archives parsed, and the names of the others. */
function parseListing(archives: readonly ArchiveSummary[]): { ours: VrsArchive[]; foreign: string[] } {
  const ours: VrsArchive[] = [];
  const foreign: string[] = [];
  for (const archive of archives) {
    const parsed = ArchiveName.safeParse(archive.name).success ? parseArchiveName(archive.name) : null;
    if (parsed && Uuid.safeParse(parsed.vm).success && !Number.isNaN(parsed.at.getTime()))
      ours.push({ name: archive.name, ...parsed, label: labelOf(archive.comment, archive.name) });
    else foreign.push(archive.name);
  }
  return { ours, foreign };
}

/** The identity of a snapshot across pinning: its VM and capture time (the name without its prefix). */
function identity(name: string): string {
  return name.replace(/^(vm|pinned)-/, '');
}

/** What to write: rows to follow an archive (maybe renamed), rows to delete, archives needing a row. */
interface Plan {
  matches: { row: Snapshot; archive: VrsArchive }[];
  deletes: Snapshot[];
  creates: VrsArchive[];
}

/**
 * Takes the rows and the vrs archives (listing order); pairs each row with its archive: by name, else by
 * identity (the pin counterpart). Rows left over are deleted, archives left over need a row. Pure.
 */
function plan(rows: readonly Snapshot[], ours: readonly VrsArchive[]): Plan {
  const unmatched = new Map(ours.map((archive) => [archive.name, archive]));
  const matches: Plan['matches'] = [];
  const orphans: Snapshot[] = [];
  for (const row of rows) {
    const archive = unmatched.get(row.archive);
    if (archive) matches.push({ row, archive });
    else orphans.push(row);
    unmatched.delete(row.archive);
  }
  const byIdentity = new Map([...unmatched.values()].map((archive) => [identity(archive.name), archive]));
  const deletes: Snapshot[] = [];
  for (const row of orphans) {
    const renamed = byIdentity.get(identity(row.archive));
    byIdentity.delete(identity(row.archive));
    if (renamed && unmatched.delete(renamed.name)) matches.push({ row, archive: renamed });
    else deletes.push(row);
  }
  const order = new Map(ours.map((archive, index) => [archive.name, index]));
  matches.sort((a, b) => (order.get(a.archive.name) ?? 0) - (order.get(b.archive.name) ?? 0));
  return { matches, deletes, creates: [...unmatched.values()] };
}

/**
 * Takes the catalog, a repository row and that repository's archive listing (`listArchives(repo)` of @vrs/borg,
 * all archives); makes the repository's Snapshot rows match borg, which is the truth. In one transaction:
 * - a row whose archive is gone is deleted (its jobs keep their history with snapshotId set to null);
 * - a row whose archive was renamed in or out of the prune prefix (`vm-…` ↔ `pinned-…`) follows the new name and
 *   pin state, keeping its id and what only the catalog knows;
 * - a row's pin flag and label are corrected from the name prefix and the archive comment;
 * - an archive vrs wrote (parseArchiveName) with no row gets one: label from the comment (the archive name when
 *   there is none), createdAt from the name, pinned from the prefix, hostId from the VM's row, else the
 *   repository's host, else null. Consistency, capture method, disks and stats stay null, meaning unknown:
 *   they live in the archive's vrs-snapshot.json, which takes a `borg extract` to read; a caller that wants them
 *   fills them in later for the `added` archives.
 * Archives vrs did not write are ignored. Other repositories' rows are never touched. Returns what changed,
 * in listing order (removed: by name). Throws Prisma's errors (the transaction is then rolled back whole).
 */
export async function reconcileSnapshots(
  catalog: Catalog,
  repository: Pick<Repository, 'id' | 'hostId'>,
  archives: readonly ArchiveSummary[],
): Promise<ReconcileResult> {
  const { ours, foreign } = parseListing(archives);
  const rows = await catalog.snapshot.findMany({ where: { repositoryId: repository.id }, orderBy: { archive: 'asc' } });
  const { matches, deletes, creates } = plan(rows, ours);
  const vmHosts = await hostsOfVms(
    catalog,
    creates.map((archive) => archive.vm),
  );
  const result: ReconcileResult = { added: [], removed: [], repinned: [], relabelled: [], foreign };
  const writes = [
    ...deletes.map((row) => {
      result.removed.push(row.archive);
      return catalog.snapshot.delete({ where: { id: row.id } });
    }),
    ...matches.flatMap(({ row, archive }) => {
      const repinned = row.archive !== archive.name || row.pinned !== archive.pinned;
      const relabelled = row.label !== archive.label;
      if (repinned) result.repinned.push(archive.name);
      if (relabelled) result.relabelled.push(archive.name);
      if (!repinned && !relabelled) return [];
      const data = { archive: archive.name, pinned: archive.pinned, label: archive.label };
      return [catalog.snapshot.update({ where: { id: row.id }, data })];
    }),
    ...creates.map((archive) => {
      result.added.push(archive.name);
      const hostId = vmHosts.get(archive.vm) ?? repository.hostId;
      const { name, vm, at, pinned, label } = archive;
      return catalog.snapshot.create({
        data: { archive: name, vmUuid: vm, hostId, repositoryId: repository.id, label, createdAt: at, pinned },
      });
    }),
  ];
  if (writes.length > 0) await catalog.$transaction(writes);
  return result;
}

/** Takes VM UUIDs; returns the host of each one the catalog knows. */
async function hostsOfVms(catalog: Catalog, vms: string[]): Promise<Map<string, string>> {
  if (vms.length === 0) return new Map();
  const rows = await catalog.vm.findMany({
    where: { id: { in: [...new Set(vms)] } },
    select: { id: true, hostId: true },
  });
  return new Map(rows.map((row) => [row.id, row.hostId]));
}
