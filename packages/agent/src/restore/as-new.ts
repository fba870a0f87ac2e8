import { randomBytes, randomUUID } from 'node:crypto';
import { open, readFile, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DisplayName, fsyncDir } from '@vrs/protocol';
import {
  listVms,
  readVboxFile,
  registerVm,
  setHdUuid,
  showVmInfo,
  type VboxFile,
  type VboxSnapshot,
  type VirtualBox,
} from '@vrs/virtualbox';
import { agentLogger } from '../agent-logger.js';
import { mapVboxAttributes } from './map-vbox-attributes.js';
import { newMacAddress } from './new-mac-address.js';
import { planVboxPaths } from './plan-vbox-paths.js';
import { RestoreError } from './restore-error.js';
import { rewriteVboxXml } from './rewrite-vbox-xml.js';
import { setVdiParentUuid } from './set-vdi-parent-uuid.js';

/** What to make a new VM of. */
export interface RestoreAsNewOptions {
  /** The restored `.vbox`, inside the new VM folder that holds its disk images (and NVRAM). */
  vboxFile: string;
  /** The new VM's name (a display name: it never becomes a path). */
  name: string;
  /** The original VM's folder, when the `.vbox` may hold absolute paths into it. */
  originalFolder?: string;
}

/** One disk image of the new VM. */
export interface AsNewMedium {
  path: string;
  previousUuid: string;
  uuid: string;
  /** The new UUID of its parent, for a differencing image. */
  parentUuid: string | null;
}

/** What `restoreAsNew` did. */
export interface AsNewReport {
  uuid: string;
  name: string;
  vboxFile: string;
  media: AsNewMedium[];
  macs: { previous: string; mac: string }[];
  /**
   * How differencing images were re-linked to their parents' new UUIDs: by writing the VDI header's
   * `uuidLinkage` with block-engine's header code (`sethdparentuuid` is not in the VirtualBox double).
   */
  parentLinks: 'vdi-header';
  droppedStateFiles: string[];
  /** True when this `.vbox` was already registered (a repeated call): nothing was done, the lists are empty. */
  alreadyRegistered: boolean;
}

type Driver = Pick<VirtualBox, 'run' | 'dialect'>;

/**
 * Takes the driver and options; turns restored files (a snapshot's `.vbox` and its disk images, already
 * written into a new VM folder) into a new registered VM. It gives the machine, every snapshot and every
 * medium a new UUID (`internalcommands sethduuid` per image; a differencing image's parent link is
 * rewritten in its VDI header, see `setVdiParentUuid`), every NIC a new MAC, rewrites the `.vbox` (media
 * registry, current and snapshot attachments, paths, name) atomically, and runs `registervm`. File names
 * are kept, so a differencing image may keep the old `{uuid}.vdi` name: VirtualBox does not tie names to
 * UUIDs, and no rename means a crash at any step leaves a folder the next call can start over from (the
 * `.vbox` is replaced last; a `.vbox` already registered is reported, not redone). Only files inside the
 * new folder are touched; the original VM is left as it was. Returns the report. Throws RestoreError
 * INVALID_INPUT (bad name, a file missing or outside the folder, a non-VDI differencing image), and the
 * driver's VBoxError.
 */
export async function restoreAsNew(vbox: Driver, o: RestoreAsNewOptions): Promise<AsNewReport> {
  const log = agentLogger('restore-as-new');
  const vboxFile = resolve(o.vboxFile);
  const folder = dirname(vboxFile);
  const name = DisplayName.safeParse(o.name);
  if (!name.success) throw new RestoreError('INVALID_INPUT', vboxFile, `${JSON.stringify(o.name)} is not a VM name`);
  const before = await readVboxFile(vboxFile);
  const empty = { media: [], macs: [], parentLinks: 'vdi-header' as const, droppedStateFiles: [] };
  if (await isRegisteredFrom(vbox, before.uuid, vboxFile))
    return { uuid: before.uuid, name: before.name, vboxFile, ...empty, alreadyRegistered: true };

  const xml = await readFile(vboxFile, 'utf8');
  const paths = await planVboxPaths(xml, folder, o.originalFolder);
  for (const medium of before.media.values())
    if (medium.parent !== null && medium.format.toUpperCase() !== 'VDI')
      throw new RestoreError(
        'INVALID_INPUT',
        medium.location,
        `${medium.location} is a ${medium.format} differencing image; restoring as a new VM re-links VDI images only`,
      );
  const uuids = new Map<string, string>([[before.uuid, randomUUID()]]);
  for (const uuid of before.media.keys()) uuids.set(uuid, randomUUID());
  for (const uuid of snapshotUuids(before.snapshots)) uuids.set(uuid, randomUUID());
  const macs = planMacs(xml);
  const machineUuid = uuids.get(before.uuid) as string;
  const text = rewriteVboxXml(xml, {
    name: name.data,
    machineUuid,
    uuids,
    macs,
    path: (_kind, stored) => (paths.stored.has(stored) ? (paths.stored.get(stored) ?? null) : stored),
  });

  const temp = join(folder, `.${basename(vboxFile)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeSynced(temp, text);
    const after = await readVboxFile(temp);
    checkRewrite(before, after, uuids, name.data, temp);
    const media = [...before.media.values()].map((m) => {
      const uuid = uuids.get(m.uuid) as string;
      return {
        path: (after.media.get(uuid) as { location: string }).location,
        previousUuid: m.uuid,
        uuid,
        parentUuid: m.parent === null ? null : (uuids.get(m.parent) as string),
      };
    });
    for (const m of media) await setHdUuid(vbox.run, m.path, m.uuid);
    for (const m of media) if (m.parentUuid !== null) await setVdiParentUuid(m.path, m.parentUuid);
    await rename(temp, vboxFile);
    await fsyncDir(folder);
    await registerVm(vbox.run, vboxFile);
    log.info({ vboxFile, uuid: machineUuid, media: media.length }, 'registered the restored VM as a new one');
    return {
      uuid: machineUuid,
      name: name.data,
      vboxFile,
      media,
      macs: [...macs].map(([previous, mac]) => ({ previous, mac })),
      parentLinks: 'vdi-header',
      droppedStateFiles: paths.droppedStateFiles,
      alreadyRegistered: false,
    };
  } finally {
    await rm(temp, { force: true });
  }
}

/** Whether the machine UUID is registered with exactly this `.vbox` (a repeated call), not another VM's. */
async function isRegisteredFrom(vbox: Driver, uuid: string, vboxFile: string): Promise<boolean> {
  if (!(await listVms(vbox.run)).some((vm) => vm.uuid === uuid)) return false;
  const info = await showVmInfo(vbox.run, uuid, vbox.dialect);
  const real = (p: string) => realpath(p).catch(() => resolve(p));
  return (await real(info.configFile)) === (await real(vboxFile));
}

function snapshotUuids(snapshots: VboxSnapshot[]): string[] {
  return snapshots.flatMap((s) => [s.uuid, ...snapshotUuids(s.children)]);
}

/** Every MAC address in the file (current state and snapshots) → a new one, the same old one mapping alike. */
function planMacs(xml: string): Map<string, string> {
  const old = new Set<string>();
  mapVboxAttributes(xml, (element, attribute, value) => {
    if (element === 'Adapter' && attribute === 'MACAddress' && value !== '') old.add(value.toUpperCase());
    return undefined;
  });
  const taken = new Set(old);
  const macs = new Map<string, string>();
  for (const mac of old) {
    const next = newMacAddress(taken);
    taken.add(next);
    macs.set(mac, next);
  }
  return macs;
}

/** Re-reads the rewritten file and checks that nothing of the old identities is left (else a bug: INTERNAL). */
function checkRewrite(before: VboxFile, after: VboxFile, uuids: Map<string, string>, name: string, path: string): void {
  const problems: string[] = [];
  if (after.uuid !== uuids.get(before.uuid)) problems.push('machine UUID');
  if (after.name !== name) problems.push('name');
  if (before.currentSnapshot !== null && after.currentSnapshot !== uuids.get(before.currentSnapshot))
    problems.push('current snapshot');
  for (const m of before.media.values()) {
    const next = after.media.get(uuids.get(m.uuid) ?? '');
    if (!next || next.parent !== (m.parent === null ? null : uuids.get(m.parent))) problems.push(`medium ${m.uuid}`);
  }
  const attachments = [...after.attachments, ...allSnapshots(after.snapshots).flatMap((s) => s.attachments)];
  for (const a of attachments)
    if (a.imageUuid !== null && before.media.has(a.imageUuid))
      problems.push(`attachment ${a.controller}-${a.port}-${a.device}`);
  if (after.media.size !== before.media.size) problems.push('media count');
  if (problems.length > 0)
    throw new RestoreError('INTERNAL', path, `the rewritten .vbox still has old identities: ${problems.join(', ')}`);
}

function allSnapshots(snapshots: VboxSnapshot[]): VboxSnapshot[] {
  return snapshots.flatMap((s) => [s, ...allSnapshots(s.children)]);
}

async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
