import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import type { AccessibleMachine, DoubleState } from './double-state.js';
import type { Hardware, MediumNode, SnapshotNode } from './machine-config.js';

/**
 * Takes the state, a machine and its new name; renames it as `Machine::i_saveSettings` does: when the
 * machine folder and the `.vbox` carry the old name, both are renamed and every path inside the folder
 * (media, saved states, NVRAM, snapshot folder) follows. Updates the registry entry. Saves nothing itself.
 */
export async function renameMachine(state: DoubleState, machine: AccessibleMachine, newName: string): Promise<void> {
  const c = machine.config;
  const oldName = c.name;
  c.name = newName;
  const folder = dirname(c.settingsFile);
  if (basename(folder) !== oldName || basename(c.settingsFile) !== `${oldName}.vbox`) return;
  const newFolder = join(dirname(folder), newName);
  if (existsSync(newFolder)) return;
  await rename(folder, newFolder);
  const oldFile = join(newFolder, `${oldName}.vbox`);
  const newFile = join(newFolder, `${newName}.vbox`);
  await rename(oldFile, newFile);
  if (existsSync(`${oldFile}-prev`)) await rename(`${oldFile}-prev`, `${newFile}-prev`);
  const move = (p: string) => (p === folder || p.startsWith(folder + sep) ? newFolder + p.slice(folder.length) : p);
  c.settingsFile = newFile;
  c.snapshotFolder = move(c.snapshotFolder);
  if (c.stateFile) c.stateFile = move(c.stateFile);
  const moveMedia = (nodes: MediumNode[]) => {
    for (const n of nodes) {
      n.location = move(n.location);
      moveMedia(n.children);
    }
  };
  moveMedia(c.media);
  const moveHardware = (h: Hardware) => {
    if (h.nvramPath) h.nvramPath = move(h.nvramPath);
  };
  moveHardware(c.hardware);
  const moveSnapshot = (s: SnapshotNode) => {
    if (s.stateFile) s.stateFile = move(s.stateFile);
    moveHardware(s.hardware);
    s.children.forEach(moveSnapshot);
  };
  if (c.snapshot) moveSnapshot(c.snapshot);
  machine.src = newFile;
  const entry = state.registry.machines.find((m) => m.uuid === machine.uuid);
  if (entry) entry.src = newFile;
  await state.saveRegistry();
}
