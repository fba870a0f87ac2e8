import { randomUUID } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dialectFor } from '../src/dialect.js';
import type { DoubleRun } from '../src/make-double-home.js';
import { parseVboxXml } from '../src/parse-vbox-xml.js';
import { writeVboxXml } from '../src/write-vbox-xml.js';
import { doubleHome, makeVm, ok, runAs } from './helpers/double.js';

// reference/virtualbox.md §1.0: the exact error texts and exit codes.
interface Block {
  message: string;
  hresult: string;
  component: string;
  iface: string;
  file: string;
}

const HEX: Record<string, string> = {
  VBOX_E_OBJECT_NOT_FOUND: '0x80bb0001',
  VBOX_E_INVALID_VM_STATE: '0x80bb0002',
  VBOX_E_IPRT_ERROR: '0x80bb0005',
  VBOX_E_INVALID_OBJECT_STATE: '0x80bb0007',
  NS_ERROR_FAILURE: '0x80004005',
  NS_ERROR_INVALID_ARG: '0x80070057',
};

function expectBlock(r: DoubleRun, b: Block): void {
  expect(r.exitCode).toBe(1);
  const lines = r.stderr.split('\n');
  expect(lines.slice(0, 2)).toEqual([
    `VBoxManage: error: ${b.message}`,
    `VBoxManage: error: Details: code ${b.hresult} (${HEX[b.hresult]}), component ${b.component}, interface ${b.iface}, callee nsISupports`,
  ]);
  expect(lines[2]).toMatch(
    new RegExp(`^VBoxManage: error: Context: ".+" at line \\d+ of file ${b.file.replace('.', '\\.')}$`),
  );
  expect(lines.slice(3)).toEqual(['']);
}

const notFound = (message: string, file: string): Block => ({
  message,
  hresult: 'VBOX_E_OBJECT_NOT_FOUND',
  component: 'VirtualBoxWrap',
  iface: 'IVirtualBox',
  file,
});

describe.concurrent('error texts and exit codes (reference §1.0)', () => {
  it('names a missing VM by name or by UUID, in every command', async (t) => {
    const h = await doubleHome(t);
    const uuid = randomUUID();
    const cases: [string[], string][] = [
      [['showvminfo', 'ghost', '--machinereadable'], 'VBoxManageInfo.cpp'],
      [['controlvm', 'ghost', 'pause'], 'VBoxManageControlVM.cpp'],
      [['snapshot', 'ghost', 'list'], 'VBoxManageSnapshot.cpp'],
      [['startvm', 'ghost'], 'VBoxManageMisc.cpp'],
      [['modifyvm', 'ghost', '--name', 'x'], 'VBoxManageModifyVM.cpp'],
      [['storagectl', 'ghost', '--name', 'SATA', '--add', 'sata'], 'VBoxManageStorageController.cpp'],
      [['getextradata', 'ghost', 'enumerate'], 'VBoxManageMisc.cpp'],
      [['unregistervm', 'ghost'], 'VBoxManageMisc.cpp'],
    ];
    const runs = await Promise.all(cases.map(([args]) => h.run(args)));
    for (const [i, r] of runs.entries()) {
      expectBlock(
        r,
        notFound("Could not find a registered machine named 'ghost'", (cases[i] as [string[], string])[1]),
      );
    }
    expectBlock(
      await h.run(['showvminfo', uuid]),
      notFound(`Could not find a registered machine with UUID {${uuid}}`, 'VBoxManageInfo.cpp'),
    );
    expectBlock(
      await h.run(['controlvm', `{${uuid.toUpperCase()}}`, 'pause']),
      notFound(`Could not find a registered machine with UUID {${uuid}}`, 'VBoxManageControlVM.cpp'),
    );
  });

  it('refuses a running VM: startvm (locked by a session), modifyvm/storagectl (write lock), unregistervm', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'busy');
    await ok(h, 'startvm', 'busy', '--type', 'headless');
    const locked = (file: string): Block => ({
      message: "The machine 'busy' is already locked for a session (or being unlocked)",
      hresult: 'VBOX_E_INVALID_OBJECT_STATE',
      component: 'MachineWrap',
      iface: 'IMachine',
      file,
    });
    const [start, modify, ctl, attach, unregister] = await Promise.all([
      h.run(['startvm', 'busy', '--type', 'headless']),
      h.run(['modifyvm', 'busy', '--macaddress1', 'auto']),
      h.run(['storagectl', 'busy', '--name', 'IDE', '--add', 'ide']),
      h.run(['storageattach', 'busy', '--storagectl', 'SATA', '--port', '0', '--device', '0', '--medium', 'none']),
      h.run(['unregistervm', 'busy', '--delete']),
    ]);
    expectBlock(start, {
      message: "The machine 'busy' is already locked by a session (or being locked or unlocked)",
      hresult: 'VBOX_E_INVALID_OBJECT_STATE',
      component: 'MachineWrap',
      iface: 'IMachine',
      file: 'VBoxManageMisc.cpp',
    });
    expect(start.stdout).toBe('');
    expectBlock(modify, locked('VBoxManageModifyVM.cpp'));
    expectBlock(ctl, locked('VBoxManageStorageController.cpp'));
    expectBlock(attach, locked('VBoxManageStorageController.cpp'));
    expectBlock(unregister, {
      message: "Cannot unregister the machine 'busy' while it is locked",
      hresult: 'VBOX_E_INVALID_OBJECT_STATE',
      component: 'MachineWrap',
      iface: 'IMachine',
      file: 'VBoxManageMisc.cpp',
    });
  });

  it('refuses settings changes on a saved VM as not mutable, but renames it', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'sv');
    await ok(h, 'startvm', 'sv', '--type', 'headless');
    await ok(h, 'controlvm', 'sv', 'savestate');
    expectBlock(await h.run(['modifyvm', 'sv', '--macaddress1', '080027000001']), {
      message: 'The machine is not mutable (state is Saved)',
      hresult: 'VBOX_E_INVALID_VM_STATE',
      component: 'SessionMachine',
      iface: 'IMachine',
      file: 'VBoxManageModifyVM.cpp',
    });
    await ok(h, 'modifyvm', 'sv', '--name', 'sv2');
    expect(await ok(h, 'list', 'vms')).toMatch(/^"sv2" \{[0-9a-f-]{36}\}\n$/);
    expect(existsIn(join(h.home, 'VirtualBox VMs', 'sv2', 'sv2.vbox'))).toBe(true);
    await ok(h, 'startvm', 'sv2', '--type', 'headless');
    await ok(h, 'controlvm', 'sv2', 'poweroff');
  });

  it('finds snapshots by name or UUID and says so when there are none', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'snap');
    const none = await h.run(['snapshot', 'snap', 'list', '--machinereadable']);
    expect(none).toEqual({ exitCode: 1, stdout: 'This machine does not have any snapshots\n', stderr: '' });
    const site = { component: 'SessionMachine', iface: 'IMachine', file: 'VBoxManageSnapshot.cpp' };
    expectBlock(await h.run(['snapshot', 'snap', 'delete', 'x']), {
      message: 'This machine does not have any snapshots',
      hresult: 'NS_ERROR_FAILURE',
      ...site,
    });
    await ok(h, 'snapshot', 'snap', 'take', 'one');
    expectBlock(await h.run(['snapshot', 'snap', 'delete', 'two']), {
      message: "Could not find a snapshot named 'two'",
      hresult: 'VBOX_E_OBJECT_NOT_FOUND',
      ...site,
    });
    const uuid = randomUUID();
    expectBlock(await h.run(['snapshot', 'snap', 'delete', uuid]), {
      message: `Could not find a snapshot with UUID {${uuid}}`,
      hresult: 'VBOX_E_OBJECT_NOT_FOUND',
      ...site,
    });
  });

  it('refuses deleting a snapshot with two children, or a medium with two child images', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'tree');
    await ok(h, 'snapshot', 'tree', 'take', 'a');
    await ok(h, 'snapshot', 'tree', 'take', 'b');
    const file = join(h.home, 'VirtualBox VMs', 'tree', 'tree.vbox');
    const config = parseVboxXml(readFileSync(file, 'utf8'), file);
    const a = config.snapshot;
    const b = a?.children[0];
    if (!a || !b) throw new Error('no snapshot tree');
    a.children.push({ ...structuredClone(b), uuid: randomUUID(), name: 'b2' });
    writeFileSync(file, writeVboxXml(config, dialectFor('7.0.14') as NonNullable<ReturnType<typeof dialectFor>>));
    const refused = await h.run(['snapshot', 'tree', 'delete', 'a']);
    expect(refused.stdout).toBe(`Deleting snapshot 'a' (${a.uuid})\n`);
    expectBlock(refused, {
      message:
        "Snapshot 'a' of the machine 'tree' cannot be deleted, because it has 2 child snapshots, which is more than the one snapshot allowed for deletion",
      hresult: 'VBOX_E_INVALID_OBJECT_STATE',
      component: 'SessionMachine',
      iface: 'IMachine',
      file: 'VBoxManageSnapshot.cpp',
    });
    // Two child images of one medium: the merge refuses in the progress phase.
    const medium = config.media[0];
    const child = medium?.children[0];
    if (!medium || !child) throw new Error('no media tree');
    a.children.pop();
    const copy = join(h.home, 'sibling.vdi');
    copyFileSync(child.location, copy);
    medium.children.push({ uuid: randomUUID(), location: copy, format: 'VDI', children: [] });
    writeFileSync(file, writeVboxXml(config, dialectFor('7.0.14') as NonNullable<ReturnType<typeof dialectFor>>));
    const progress = await h.run(['snapshot', 'tree', 'delete', 'a']);
    expect(progress.exitCode).toBe(1);
    expect(progress.stderr.split('\n').slice(0, 5)).toEqual([
      '0%...',
      'Progress state: NS_ERROR_FAILURE',
      'VBoxManage: error: Snapshot operation failed',
      `VBoxManage: error: Hard disk '${medium.location}' has more than one child hard disk (2)`,
      'VBoxManage: error: Details: code NS_ERROR_FAILURE (0x80004005), component SessionMachine, interface IMachine',
    ]);
  });

  it('uses exit 2 for syntax errors, except inside snapshot (exit 1)', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'syn');
    const [unknown, snapBad, snapShort, takeNoName, listBad] = await Promise.all([
      h.run(['frobnicate']),
      h.run(['snapshot', 'syn', 'bogus']),
      h.run(['snapshot', 'syn']),
      h.run(['snapshot', 'syn', 'take']),
      h.run(['list', 'bogus']),
    ]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("VBoxManage: error: Invalid command 'frobnicate'");
    expect(snapBad.exitCode).toBe(1);
    expect(snapBad.stderr).toContain("VBoxManage: error: Invalid parameter 'bogus'");
    expect(snapBad.stderr).toContain('Usage:');
    expect(snapShort.exitCode).toBe(2);
    expect(takeNoName.exitCode).toBe(1);
    expect(takeNoName.stderr).toContain('VBoxManage: error: Missing snapshot name');
    expect(listBad.exitCode).toBe(2);
    const old = await runAs(h, '6.1.50', ['frobnicate']);
    expect(old.exitCode).toBe(2);
    expect(old.stderr).toMatch(/\nSyntax error: Invalid command 'frobnicate'\n$/);
  });

  it('refuses to run without VRS_VBOX_DOUBLE_HOME, and names the other versions it imitates', async (t) => {
    const h = await doubleHome(t);
    const noHome = await h.run(['list', 'vms'], { env: { VRS_VBOX_DOUBLE_HOME: '' } });
    expect(noHome.exitCode).toBe(1);
    expect(noHome.stderr).toMatch(/^VBoxManage: error: VRS_VBOX_DOUBLE_HOME is not set/);
    expect(await h.run(['--version'])).toEqual({ exitCode: 0, stdout: '7.0.14r161095\n', stderr: '' });
    expect(await runAs(h, '6.1.50', ['--version'])).toEqual({ exitCode: 0, stdout: '6.1.50r161033\n', stderr: '' });
    const bad = await h.run(['--version'], { env: { VRS_VBOX_DOUBLE_VERSION: '5.2.44' } });
    expect(bad.exitCode).toBe(1);
  });

  it('refuses a copy of a registered image (same UUID) and an image whose UUID was changed', async (t) => {
    const h = await doubleHome(t);
    const vm = await makeVm(h, 'dup');
    const copy = join(h.home, 'copy.vdi');
    copyFileSync(vm.disk, copy);
    const r = await h.run(['showmediuminfo', 'disk', copy]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      `VBoxManage: error: Cannot register the hard disk '${copy}' {${vm.diskUuid}} because a hard disk '${vm.disk}' with UUID {${vm.diskUuid}} already exists`,
      'VBoxManage: error: Details: code NS_ERROR_INVALID_ARG (0x80070057), component VirtualBoxWrap, interface IVirtualBox, callee nsISupports',
    ]);
    const fresh = randomUUID();
    expect(await ok(h, 'internalcommands', 'sethduuid', copy, fresh)).toBe(`UUID changed to: ${fresh}\n`);
    expect(await ok(h, 'showmediuminfo', copy)).toMatch(
      new RegExp(`^UUID:           ${fresh}\\nParent UUID:    base\\nState:          created\\n`),
    );
    const missing = await h.run(['internalcommands', 'sethduuid', join(h.home, 'nope.vdi')]);
    expect(missing).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'VBoxManage: error: Format autodetect failed: VERR_FILE_NOT_FOUND\n',
    });
    // Changing the registered image's own UUID makes it unusable, as in VirtualBox.
    await ok(h, 'internalcommands', 'sethduuid', vm.disk);
    const start = await h.run(['startvm', 'dup', '--type', 'headless']);
    expect(start.exitCode).toBe(1);
    expect(start.stdout).toBe('Waiting for VM "dup" to power on...\n');
    expect(start.stderr).toMatch(
      new RegExp(
        `^VBoxManage: error: UUID \\{[0-9a-f-]{36}\\} of the medium '${vm.disk}' does not match the value \\{${vm.diskUuid}\\} stored in the media registry \\('`,
      ),
    );
    const twice = await h.run(['registervm', join(h.home, 'VirtualBox VMs', 'dup', 'dup.vbox')]);
    expectBlock(twice, {
      message: `Registered machine with UUID {${vm.uuid}} ('${join(h.home, 'VirtualBox VMs', 'dup', 'dup.vbox')}') already exists`,
      hresult: 'NS_ERROR_INVALID_ARG',
      component: 'VirtualBoxWrap',
      iface: 'IVirtualBox',
      file: 'VBoxManageMisc.cpp',
    });
  });
});

function existsIn(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
