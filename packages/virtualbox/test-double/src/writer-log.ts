import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { doublePaths, runtimeDir } from './double-paths.js';
import { readGlobalRegistry } from './global-registry.js';
import { parseVboxXml } from './parse-vbox-xml.js';
import { writerFiles } from './writer-files.js';

/** One completed guest write: `<seq> <disk-uuid> <block>` in the log; `disk` is the base medium's UUID. */
export interface WriterLogEntry {
  seq: number;
  disk: string;
  block: number;
}

/** Takes the log text; returns its entries (a torn last line is ignored). */
export function parseWriterLog(text: string): WriterLogEntry[] {
  const entries: WriterLogEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+) ([0-9a-f-]{36}) (\d+)$/.exec(line);
    if (m) entries.push({ seq: Number(m[1]), disk: m[2] as string, block: Number(m[3]) });
  }
  return entries;
}

/** Takes a log path; returns the last sequence number in it (0 when empty or missing). */
export function lastLoggedSeq(logPath: string): number {
  let size: number;
  try {
    size = statSync(logPath).size;
  } catch {
    return 0;
  }
  const length = Math.min(size, 4096);
  const buffer = Buffer.alloc(length);
  const fd = openSync(logPath, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const entries = parseWriterLog(buffer.toString('utf8'));
  return entries.at(-1)?.seq ?? 0;
}

/**
 * Takes the double's home and a VM (name or UUID); returns every write its guest writer logged, across
 * all the VM's runs, in order. Throws when no such VM is registered.
 */
export async function readWriterLog(home: string, vm: string): Promise<WriterLogEntry[]> {
  const uuid = await resolveVmUuid(home, vm);
  const text = await readFile(writerFiles(runtimeDir(home, uuid)).log, 'utf8').catch(() => '');
  return parseWriterLog(text);
}

async function resolveVmUuid(home: string, vm: string): Promise<string> {
  const bare = vm.replace(/^\{|\}$/g, '').toLowerCase();
  const registry = await readGlobalRegistry(doublePaths(home));
  for (const entry of registry.machines) {
    if (entry.uuid === bare) return entry.uuid;
    const xml = await readFile(entry.src, 'utf8').catch(() => undefined);
    if (xml !== undefined && parseVboxXml(xml, entry.src).name === vm) return entry.uuid;
  }
  throw new Error(`no registered VM ${vm} in ${home}`);
}
