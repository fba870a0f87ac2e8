import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoubleHome } from '../src/make-double-home.js';
import { doubleHome, ok, parseMachineReadable, runAs } from './helpers/double.js';

// reference/virtualbox.md §1.1–§1.4: list, showvminfo, snapshot list and medium info formats, both dialects.
const Q = '(?:[^"\\\\]|\\\\["\\\\])*'; // a 7.0-escaped string body
const LINE_7 = [
  new RegExp(`^[A-Za-z][A-Za-z0-9_-]*="${Q}"$`),
  /^[A-Za-z][A-Za-z0-9_-]*=-?\d+$/,
  new RegExp(`^"${Q}"="${Q}"$`),
  /^Encryption: {5}disabled$/,
  /^ rec_screen\d+$/,
  /^VideoMode="\d+,\d+,\d+"@\d+,\d+ \d+$/,
  /^VRDEClients==\d+$/,
  /^GuestAdditionsFacility_[A-Za-z ]+=\d+,\d+$/,
  new RegExp(`^BIOS NVRAM File="${Q}"$`),
  /^(?:Current)?Snapshot(?:Name|UUID|Description|Node)(?:-\d+)*=".*"$/,
  /^VMStateFile=".*"$/,
];
const LINE_61 = [...LINE_7.filter((r) => !r.source.startsWith('^Encryption')), /^"[^"]+-\d+-\d+"=".*"$/];

function expectLines(output: string, patterns: RegExp[]): void {
  const lines = output.split('\n');
  expect(lines.pop()).toBe('');
  for (const line of lines) {
    if (!patterns.some((p) => p.test(line))) throw new Error(`unexpected line: ${JSON.stringify(line)}`);
  }
}

async function buildOddVm(h: DoubleHome): Promise<{ name: string; disk: string; uuid: string }> {
  const name = 'odd "q" \\b';
  const dir = join(h.home, 'dir "x"');
  mkdirSync(dir);
  const disk = join(dir, 'dis\\k.vdi');
  await ok(h, 'createmedium', 'disk', '--filename', disk, '--size', '16');
  const created = await ok(h, 'createvm', '--name', name, '--register', '--ostype', 'Debian_64');
  await ok(h, 'storagectl', name, '--name', 'SATA', '--add', 'sata', '--portcount', '2');
  await ok(h, 'storagectl', name, '--name', 'IDE', '--add', 'ide');
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
  await ok(
    h,
    'storageattach',
    name,
    '--storagectl',
    'IDE',
    '--port',
    '1',
    '--device',
    '0',
    '--type',
    'dvddrive',
    '--medium',
    'emptydrive',
  );
  await ok(h, 'modifyvm', name, '--firmware', 'efi');
  await ok(h, 'setextradata', name, 'vrs-double/guest-writer', 'rate=5,blocks=0-3');
  return { name, disk, uuid: /^UUID: (\S+)$/m.exec(created)?.[1] ?? '' };
}

describe.concurrent('output formats (reference §1.1–§1.4)', () => {
  it('prints showvminfo --machinereadable line by line as 7.0 does: escapes, Encryption line, every port × device', async (t) => {
    const h = await doubleHome(t);
    const vm = await buildOddVm(h);
    const off = await ok(h, 'showvminfo', vm.name, '--machinereadable');
    expectLines(off, LINE_7);
    const lines = off.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'name="odd \\"q\\" \\\\b"',
      'Encryption:     disabled',
      'groups="/"',
      'ostype="Debian (64-bit)"',
    ]);
    expect(lines).toContain(
      `CfgFile="${join(h.home, 'VirtualBox VMs', vm.name, `${vm.name}.vbox`).replace(/["\\]/g, '\\$&')}"`,
    );
    expect(lines).toContain(`"SATA-0-0"="${vm.disk.replace(/["\\]/g, '\\$&')}"`);
    const info = parseMachineReadable(off);
    expect(info.get('VMState')).toBe('poweroff');
    expect(info.get('VMStateChangeTime')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}000000$/);
    expect(info.get('SATA-1-0')).toBe('none');
    expect(info.get('SATA-ImageUUID-0-0')).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.get('SATA-hot-pluggable-0-0')).toBe('off');
    expect(info.get('SATA-nonrotational-0-0')).toBe('off');
    expect(info.get('SATA-discard-0-0')).toBe('off');
    expect([info.get('IDE-0-0'), info.get('IDE-0-1'), info.get('IDE-1-0'), info.get('IDE-1-1')]).toEqual([
      'none',
      'none',
      'emptydrive',
      'none',
    ]);
    expect(info.get('IDE-IsEjected-1-0')).toBe('off');
    expect(info.get('storagecontrollertype0')).toBe('IntelAhci');
    expect(info.get('storagecontrollertype1')).toBe('PIIX4');
    expect(info.get('storagecontrollermaxportcount0')).toBe('30');
    expect(info.get('firmware')).toBe('EFI');
    expect(info.get('BIOS NVRAM File')).toMatch(/\.nvram$/);
    expect(info.has('SessionName')).toBe(false);
    expect(info.has('VMStateFile')).toBe(false);
    expect(info.get('macaddress1')).toMatch(/^080027[0-9A-F]{6}$/);

    await ok(h, 'startvm', vm.name, '--type', 'headless');
    const running = await ok(h, 'showvminfo', vm.uuid, '--machinereadable');
    expectLines(running, LINE_7);
    const r = parseMachineReadable(running);
    expect([r.get('VMState'), r.get('SessionName'), r.get('GuestAdditionsRunLevel')]).toEqual([
      'running',
      'headless',
      '2',
    ]);
    expect(running).toMatch(/^VideoMode="720,400,0"@0,0 1$/m);
    expect(running).toMatch(/^VRDEClients==0$/m);
    await ok(h, 'controlvm', vm.name, 'savestate');
    const saved = parseMachineReadable(await ok(h, 'showvminfo', vm.name, '--machinereadable'));
    expect(saved.get('VMState')).toBe('saved');
    expect(saved.get('VMStateFile')).toMatch(/\.sav$/);
    expect(saved.has('SessionName')).toBe(false);
  });

  it('prints the 6.1 dialect: no Encryption line, raw storage paths, tempeject/IsEjected without port and device', async (t) => {
    const h = await doubleHome(t, '6.1.50');
    const vm = await buildOddVm(h);
    const out = await ok(h, 'showvminfo', vm.name, '--machinereadable');
    expectLines(out, LINE_61);
    const lines = out.split('\n');
    expect(lines.slice(0, 2)).toEqual(['name="odd \\"q\\" \\\\b"', 'groups="/"']);
    expect(lines).toContain(`"SATA-0-0"="${vm.disk}"`);
    expect(lines).toContain('"IDE-IsEjected"="off"');
    expect(out).not.toMatch(/nonrotational|discard|Encryption/);
    // The same home read by a 7.0 VBoxManage prints the 7.0 form.
    const seven = await runAs(h, '7.0.14', ['showvminfo', vm.name, '--machinereadable']);
    expect(seven.stdout.split('\n')).toContain(`"SATA-0-0"="${vm.disk.replace(/["\\]/g, '\\$&')}"`);
  });

  it('lists VMs unescaped and running VMs only while running', async (t) => {
    const h = await doubleHome(t);
    const vm = await buildOddVm(h);
    await ok(h, 'createvm', '--name', 'plain', '--register');
    const vms = await ok(h, 'list', 'vms');
    expect(vms).toMatch(/^"odd "q" \\b" \{[0-9a-f-]{36}\}\n"plain" \{[0-9a-f-]{36}\}\n$/);
    for (const line of vms.trimEnd().split('\n')) expect(line).toMatch(/^"(.+?)" \{(.+?)\}$/);
    expect(await ok(h, 'list', 'runningvms')).toBe('');
    await ok(h, 'startvm', vm.name, '--type', 'headless');
    expect(await ok(h, 'list', 'runningvms')).toBe(`"${vm.name}" {${vm.uuid}}\n`);
    expect(await runAs(h, '6.1.50', ['list', 'runningvms'])).toMatchObject({
      exitCode: 0,
      stdout: `"${vm.name}" {${vm.uuid}}\n`,
    });
  });

  it('numbers snapshots -1, -1-1 depth first with the Current* lines after the current one', async (t) => {
    const h = await doubleHome(t);
    const vm = await buildOddVm(h);
    const ids: string[] = [];
    for (const name of ['one', 'two "2"', 'three']) {
      const out = await ok(h, 'snapshot', vm.name, 'take', name, ...(name === 'one' ? ['--description', 'first'] : []));
      ids.push(/^Snapshot taken\. UUID: ([0-9a-f-]{36})\n$/.exec(out)?.[1] ?? '');
    }
    const expected = [
      'SnapshotName="one"',
      `SnapshotUUID="${ids[0]}"`,
      'SnapshotDescription="first"',
      'SnapshotName-1="two "2""',
      `SnapshotUUID-1="${ids[1]}"`,
      'SnapshotName-1-1="three"',
      `SnapshotUUID-1-1="${ids[2]}"`,
      'CurrentSnapshotName="three"',
      `CurrentSnapshotUUID="${ids[2]}"`,
      'CurrentSnapshotNode="SnapshotName-1-1"',
    ];
    expect(await ok(h, 'snapshot', vm.name, 'list', '--machinereadable')).toBe(`${expected.join('\n')}\n`);
    const info = await ok(h, 'showvminfo', vm.name, '--machinereadable');
    expect(info).toContain(`${expected.join('\n')}\nGuestMemoryBalloon=0\n`);
    expect(await ok(h, 'snapshot', vm.name, 'list')).toBe(
      `   Name: one (UUID: ${ids[0]})\n   Description: first\n      Name: two "2" (UUID: ${ids[1]})\n         Name: three (UUID: ${ids[2]}) *\n`,
    );
    const current = parseMachineReadable(info);
    expect(current.get('SATA-0-0')).toMatch(new RegExp(`/Snapshots/\\{${current.get('SATA-ImageUUID-0-0')}\\}\\.vdi$`));
  });

  it('prints medium info with 16-column labels, lock states, users and children', async (t) => {
    const h = await doubleHome(t);
    const vm = await buildOddVm(h);
    const label = (line: string) => expect(line).toMatch(/^[A-Z][A-Za-z ]*: *\S|^ {16}\S/);
    const before = await ok(h, 'list', 'hdds');
    const blocks = before.split('\n\n').filter(Boolean);
    expect(blocks).toHaveLength(1);
    expect(before).toMatch(
      /^UUID: {11}[0-9a-f-]{36}\nParent UUID: {4}base\nState: {10}created\nType: {11}normal \(base\)\nLocation: {7}.+\nStorage format: VDI\nCapacity: {7}16 MBytes\nEncryption: {5}disabled\n\n$/,
    );
    await ok(h, 'startvm', vm.name, '--type', 'headless');
    const snap = /UUID: (\S+)/.exec(await ok(h, 'snapshot', vm.name, 'take', 'live', '--live'))?.[1];
    const info = await ok(h, 'showmediuminfo', 'disk', vm.disk);
    for (const line of info.trimEnd().split('\n')) label(line);
    const fields = new Map(
      info
        .trimEnd()
        .split('\n')
        .map((l) => [l.slice(0, 16).trim(), l.slice(16)]),
    );
    expect(fields.get('State:')).toBe('locked read');
    expect(fields.get('Type:')).toBe('normal (base)');
    expect(fields.get('Format variant:')).toBe('dynamic default');
    expect(fields.get('In use by VMs:')).toBe(`${vm.name} (UUID: ${vm.uuid}) [live (UUID: ${snap})]`);
    const child = fields.get('Child UUIDs:') as string;
    expect(child).toMatch(/^[0-9a-f-]{36}$/);
    const diff = new Map(
      (await ok(h, 'showmediuminfo', child))
        .trimEnd()
        .split('\n')
        .map((l) => [l.slice(0, 16).trim(), l.slice(16)]),
    );
    expect([diff.get('State:'), diff.get('Type:'), diff.get('Auto-Reset:'), diff.get('Format variant:')]).toEqual([
      'locked write',
      'normal (differencing)',
      'off',
      'differencing default',
    ]);
    expect(diff.get('Parent UUID:')).toBe(fields.get('UUID:'));
    expect(diff.get('In use by VMs:')).toBe(`${vm.name} (UUID: ${vm.uuid})`);
    const listed = await ok(h, 'list', 'hdds');
    expect(listed.split('\n\n').filter(Boolean)).toHaveLength(2);
    expect(listed.indexOf(`UUID:           ${child}`)).toBeGreaterThan(
      listed.indexOf(`UUID:           ${fields.get('UUID:')}`),
    );
  });
});
