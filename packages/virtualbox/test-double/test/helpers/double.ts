import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type DoubleHome, type DoubleRun, makeDoubleHome } from '../../src/make-double-home.js';

/** The part of vitest's test context the helpers need (concurrent tests must use their own). */
export interface TestHooks {
  onTestFinished: (fn: () => Promise<void>) => void;
}

/** Takes the test context; makes a fresh double home that is cleaned up (writers killed) when the test ends. */
export async function doubleHome(t: TestHooks, version?: '7.0.14' | '6.1.50'): Promise<DoubleHome> {
  const h = await makeDoubleHome(version ? { version } : {});
  t.onTestFinished(() => h.cleanup());
  return h;
}

/** Runs VBoxManage in the home and expects exit 0; returns stdout. */
export async function ok(h: DoubleHome, ...args: string[]): Promise<string> {
  const r = await h.run(args);
  expect(r, `VBoxManage ${args.join(' ')}`).toMatchObject({ exitCode: 0 });
  return r.stdout;
}

/** Runs VBoxManage with the other dialect's version. */
export function runAs(h: DoubleHome, version: '7.0.14' | '6.1.50', args: string[]): Promise<DoubleRun> {
  return h.run(args, { env: { VRS_VBOX_DOUBLE_VERSION: version } });
}

/** Starts VBoxManage without waiting; returns the promise of its result. */
export function background(h: DoubleHome, args: string[]): Promise<DoubleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(h.bin, 'VBoxManage'), args, { env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code ?? -1, stdout, stderr }));
  });
}

/** Takes `showvminfo --machinereadable` output; returns key → value (quotes removed, 7.0 escapes undone). */
export function parseMachineReadable(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(?:"((?:[^"\\]|\\.)*)"|([^=]+))=(.*)$/.exec(line);
    if (!m) continue;
    const key = (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1');
    const raw = m[3] ?? '';
    out.set(key, /^".*"$/.test(raw) ? raw.slice(1, -1).replace(/\\(["\\])/g, '$1') : raw);
  }
  return out;
}

/** Returns a VM's machine-readable info as a map. */
export async function vmInfo(h: DoubleHome, vm: string): Promise<Map<string, string>> {
  return parseMachineReadable(await ok(h, 'showvminfo', vm, '--machinereadable'));
}

/** Returns a VM's state (`VMState`). */
export async function vmState(h: DoubleHome, vm: string): Promise<string | undefined> {
  return (await vmInfo(h, vm)).get('VMState');
}

/** Polls until the VM is in `state` (or throws after `timeoutMs`). */
export async function waitForState(h: DoubleHome, vm: string, state: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: string | undefined;
  while (Date.now() < deadline) {
    seen = await vmState(h, vm);
    if (seen === state) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`VM ${vm} did not reach ${state} (last seen ${seen})`);
}

/** What makeVm built. */
export interface TestVm {
  name: string;
  disk: string;
  diskUuid: string;
  uuid: string;
}

/**
 * Makes a registered VM with one SATA disk (real VDI) in the home, with guest writer settings
 * (default: 10 writes/s over blocks 0-15) and optional extra data.
 */
export async function makeVm(
  h: DoubleHome,
  name = 'vm',
  options: { sizeMb?: number; writer?: string; extra?: Record<string, string>; efi?: boolean } = {},
): Promise<TestVm> {
  const disk = join(h.home, `${name}-disk.vdi`);
  const created = await ok(
    h,
    'createmedium',
    'disk',
    '--filename',
    disk,
    '--size',
    String(options.sizeMb ?? 32),
    '--format',
    'VDI',
  );
  const diskUuid = /Medium created\. UUID: (\S+)/.exec(created)?.[1] ?? '';
  const vm = await ok(h, 'createvm', '--name', name, '--ostype', 'Ubuntu_64', '--register');
  const uuid = /^UUID: (\S+)$/m.exec(vm)?.[1] ?? '';
  await ok(h, 'storagectl', name, '--name', 'SATA', '--add', 'sata', '--portcount', '1');
  await ok(
    h,
    'storageattach',
    name,
    '--storagectl',
    'SATA',
    '--port',
    '0',
    '--device',
    '0',
    '--type',
    'hdd',
    '--medium',
    disk,
  );
  await ok(h, 'setextradata', name, 'vrs-double/guest-writer', options.writer ?? 'rate=10,seed=7,blocks=0-15');
  for (const [k, v] of Object.entries(options.extra ?? {})) await ok(h, 'setextradata', name, k, v);
  if (options.efi) await ok(h, 'modifyvm', name, '--firmware', 'efi');
  return { name, disk, diskUuid, uuid };
}

/** Sleeps. */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A gate file holding the double's long operations in their transient state while it exists. */
export interface OperationGate {
  /** Extra data that makes a VM's operations wait at this gate. */
  extra: Record<string, string>;
  /** Creates the file: the next operation stops in its transient state. */
  close(): void;
  /** Removes the file: the waiting operation goes on. */
  open(): void;
}

/** Takes a home; returns a gate for its VMs' long operations (`vrs-double/operation-gate`). */
export function operationGate(h: DoubleHome, name = 'gate'): OperationGate {
  const path = join(h.home, `${name}.closed`);
  return {
    extra: { 'vrs-double/operation-gate': path },
    close: () => writeFileSync(path, ''),
    open: () => rmSync(path, { force: true }),
  };
}
