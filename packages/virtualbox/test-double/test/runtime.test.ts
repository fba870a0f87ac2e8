import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoubleHome } from '../src/make-double-home.js';
import { readWriterLog } from '../src/writer-log.js';
import {
  background,
  doubleHome,
  makeVm,
  ok,
  operationGate,
  parseMachineReadable,
  pause,
  runAs,
  vmInfo,
  vmState,
  waitForState,
} from './helpers/double.js';
import { chainVerdict } from './helpers/images.js';

// The running VM: runningvms membership, saved states, crashes, ACPI, guest control and concurrency.
const writerPid = (h: DoubleHome, uuid: string) =>
  Number(JSON.parse(readFileSync(join(h.home, 'runtime', uuid, 'state.json'), 'utf8')).writerPid);

async function inRunningVms(h: DoubleHome, vm: string): Promise<boolean> {
  return (await ok(h, 'list', 'runningvms')).includes(`"${vm}" {`);
}

describe.concurrent('a running VM', () => {
  it('is in list runningvms only while Running, Paused or LiveSnapshotting', async (t) => {
    const h = await doubleHome(t);
    const gate = operationGate(h);
    await makeVm(h, 'm', { extra: gate.extra });
    const seen: Record<string, boolean> = {};
    const look = async (state: string) => {
      await waitForState(h, 'm', state);
      seen[state] = await inRunningVms(h, 'm');
    };
    const during = async (args: string[], state: string) => {
      gate.close();
      const op = background(h, args);
      await look(state);
      gate.open();
      expect((await op).exitCode).toBe(0);
    };
    await look('poweroff');
    await during(['snapshot', 'm', 'take', 'offline'], 'snapshotting');
    await ok(h, 'startvm', 'm', '--type', 'headless');
    await look('running');
    await during(['snapshot', 'm', 'take', 'live', '--live'], 'livesnapshotting');
    await during(['snapshot', 'm', 'take', 'online'], 'onlinesnapshotting');
    await during(['snapshot', 'm', 'delete', 'online'], 'deletingsnapshotlive');
    await ok(h, 'controlvm', 'm', 'pause');
    await look('paused');
    await during(['snapshot', 'm', 'delete', 'live'], 'deletingsnapshotlivepaused');
    await during(['controlvm', 'm', 'savestate'], 'saving');
    await look('saved');
    expect(seen).toEqual({
      poweroff: false,
      snapshotting: false,
      running: true,
      livesnapshotting: true,
      onlinesnapshotting: false,
      deletingsnapshotlive: false,
      paused: true,
      deletingsnapshotlivepaused: false,
      saving: false,
      saved: false,
    });
  });

  it('becomes aborted when its VM process (the guest writer) is killed, and starts again from there', async (t) => {
    const h = await doubleHome(t);
    const vm = await makeVm(h, 'crash');
    await ok(h, 'startvm', 'crash', '--type', 'headless');
    await pause(300);
    process.kill(writerPid(h, vm.uuid), 'SIGKILL');
    await waitForState(h, 'crash', 'aborted');
    const info = await vmInfo(h, 'crash');
    expect(info.has('SessionName')).toBe(false);
    expect(await inRunningVms(h, 'crash')).toBe(false);
    expect(readFileSync(join(h.home, 'VirtualBox VMs', 'crash', 'crash.vbox'), 'utf8')).toMatch(
      /<Machine [^>]* aborted="true"/,
    );
    const before = (await readWriterLog(h.home, 'crash')).at(-1)?.seq ?? 0;
    await ok(h, 'startvm', 'crash', '--type', 'headless');
    await pause(400);
    await ok(h, 'controlvm', 'crash', 'poweroff');
    const log = await readWriterLog(h.home, 'crash');
    expect(log.at(-1)?.seq).toBeGreaterThan(before);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  });

  it('powers off after the ACPI power button (unless the guest ignores it)', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'acpi');
    await ok(h, 'startvm', 'acpi', '--type', 'headless');
    await ok(h, 'controlvm', 'acpi', 'acpipowerbutton');
    await waitForState(h, 'acpi', 'poweroff');
    expect(readFileSync(join(h.home, 'VirtualBox VMs', 'acpi', 'acpi.vbox'), 'utf8')).not.toMatch(/aborted="true"/);
    await ok(h, 'setextradata', 'acpi', 'vrs-double/acpi', 'ignore');
    await ok(h, 'startvm', 'acpi', '--type', 'headless');
    await ok(h, 'controlvm', 'acpi', 'acpipowerbutton');
    await pause(600);
    expect(await vmState(h, 'acpi')).toBe('running');
  });

  it('takes new guest writer settings while running', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'rate');
    await ok(h, 'startvm', 'rate', '--type', 'headless');
    await ok(h, 'setextradata', 'rate', 'vrs-double/guest-writer', 'rate=40,seed=9,blocks=3-3');
    const from = (await readWriterLog(h.home, 'rate')).length + 2;
    await pause(500);
    await ok(h, 'controlvm', 'rate', 'poweroff');
    const later = (await readWriterLog(h.home, 'rate')).slice(from);
    expect(later.length).toBeGreaterThan(5);
    expect(new Set(later.map((e) => e.block))).toEqual(new Set([3]));
  });

  it('keeps VirtualBox.xml and the .vbox whole under concurrent invocations', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'busy');
    const runs = await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => h.run(['setextradata', 'busy', `key${i}`, `value ${i}`])),
      ...Array.from({ length: 4 }, () => h.run(['showvminfo', 'busy', '--machinereadable'])),
      ...Array.from({ length: 4 }, (_, i) => h.run(['setextradata', 'global', `g${i}`, 'x'])),
    ]);
    expect(runs.map((r) => r.exitCode)).toEqual(runs.map(() => 0));
    const pairs = (await ok(h, 'getextradata', 'busy', 'enumerate')).trimEnd().split('\n');
    for (let i = 0; i < 8; i++) expect(pairs).toContain(`Key: key${i}, Value: value ${i}`);
    expect((await ok(h, 'getextradata', 'global', 'enumerate')).trimEnd().split('\n')).toHaveLength(4);
    expect(await ok(h, 'getextradata', 'busy', 'key3')).toBe('Value: value 3\n');
    expect(await ok(h, 'getextradata', 'busy', 'nokey')).toBe('No value set!\n');
    await ok(h, 'setextradata', 'busy', 'key3');
    expect(await ok(h, 'getextradata', 'busy', 'key3')).toBe('No value set!\n');
    const folder = readdirSync(join(h.home, 'VirtualBox VMs', 'busy'));
    expect(folder.filter((f) => f.endsWith('-tmp'))).toEqual([]);
    expect(folder).toContain('busy.vbox-prev');
  });
});

describe.concurrent('guestcontrol run (reference §1.12)', () => {
  const run = (vm: string, ...args: string[]) => [
    'guestcontrol',
    vm,
    'run',
    '--username',
    'root',
    '--password',
    'pw',
    ...args,
  ];

  it('freezes the guest with fsfreeze: no write happens until it is thawed', async (t) => {
    const h = await doubleHome(t);
    const vm = await makeVm(h, 'fz', { writer: 'rate=40,seed=2,blocks=0-7' });
    await ok(h, 'startvm', 'fz', '--type', 'headless');
    await pause(300);
    expect(await h.run(run('fz', '--', '/sbin/fsfreeze', '--freeze', '/'))).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    const frozen = await readWriterLog(h.home, 'fz');
    await pause(500);
    expect(await readWriterLog(h.home, 'fz')).toEqual(frozen);
    // Frozen, the running VM's disk is a consistent cut without pausing it.
    expect(await chainVerdict([vm.disk], frozen, vm.diskUuid, 8)).toEqual({
      consistent: true,
      cut: frozen.at(-1)?.seq,
    });
    const again = await h.run(run('fz', '--', '/sbin/fsfreeze', '--freeze', '/'));
    expect(again).toEqual({
      exitCode: 33,
      stdout: '',
      stderr: 'fsfreeze: /: freeze failed: Device or resource busy\n',
    });
    expect(await h.run(run('fz', '--', '/sbin/fsfreeze', '--unfreeze', '/'))).toMatchObject({ exitCode: 0 });
    await pause(400);
    expect((await readWriterLog(h.home, 'fz')).length).toBeGreaterThan(frozen.length);
    const thawed = await h.run(run('fz', '--', '/sbin/fsfreeze', '-u', '/'));
    expect(thawed).toEqual({ exitCode: 33, stdout: '', stderr: 'fsfreeze: /: unfreeze failed: Invalid argument\n' });
  });

  it('maps guest exit codes and timeouts to the host exit code', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'gc');
    await ok(h, 'startvm', 'gc', '--type', 'headless');
    const [t0, f1, e93, e100, echo, timeout] = await Promise.all([
      h.run(run('gc', '--', '/bin/true')),
      h.run(run('gc', '--', '/bin/false')),
      h.run(run('gc', '--', '/bin/sh', '-c', 'exit 93')),
      h.run(run('gc', '--', '/bin/sh', '-c', 'exit 100')),
      h.run(run('gc', '--exe', '/bin/echo', '--', 'hello', 'guest')),
      h.run(run('gc', '--timeout', '300', '--', '/bin/sleep', '5')),
    ]);
    expect([t0, f1, e93, e100, timeout].map((r) => r.exitCode)).toEqual([0, 33, 125, 126, 20]);
    expect(echo).toEqual({ exitCode: 0, stdout: 'hello guest\n', stderr: '' });
    const missing = await h.run(run('gc', '--', '/usr/bin/nothing'));
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr.split('\n').slice(0, 2)).toEqual([
      'VBoxManage: error: No such file or directory "/usr/bin/nothing" on guest',
      'VBoxManage: error: Details: code VBOX_E_IPRT_ERROR (0x80bb0005), component GuestProcessWrap, interface IGuestProcess, callee nsISupports',
    ]);
  });

  it('puts every positional argument into argv on 6.1, so --exe shifts argv[0]', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'argv');
    await ok(h, 'startvm', 'argv', '--type', 'headless');
    const args = run('argv', '--exe', '/sbin/fsfreeze', '--', '--freeze', '/srv');
    expect(await runAs(h, '7.0.14', args)).toMatchObject({ exitCode: 0 });
    await ok(h, ...run('argv', '--', '/sbin/fsfreeze', '--unfreeze', '/srv'));
    const old = await runAs(h, '6.1.50', args);
    expect(old).toEqual({
      exitCode: 33,
      stdout: '',
      stderr: "fsfreeze: neither --freeze or --unfreeze specified\nTry 'fsfreeze --help' for more information.\n",
    });
    expect(await runAs(h, '6.1.50', run('argv', '--', '/sbin/fsfreeze', '--freeze', '/srv'))).toMatchObject({
      exitCode: 0,
    });
    await ok(h, ...run('argv', '--', '/sbin/fsfreeze', '--unfreeze', '/srv'));
  });

  it('needs a running VM with Guest Additions, a user name, and the right password', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'ga', { extra: { 'vrs-double/guest-additions': 'off' } });
    const off = await h.run(run('ga', '--', '/bin/true'));
    expect(off).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'VBoxManage: error: Machine "ga" is not running (currently powered off)!\n',
    });
    await ok(h, 'startvm', 'ga', '--type', 'headless');
    const notReady = await h.run(run('ga', '--', '/bin/true'));
    expect(notReady.exitCode).toBe(1);
    expect(notReady.stderr).toMatch(
      /^VBoxManage: error: The guest execution service is not ready \(yet\)\nVBoxManage: error: Details: code VBOX_E_IPRT_ERROR \(0x80bb0005\), component GuestSessionWrap, interface IGuestSession, callee nsISupports\nVBoxManage: error: Context: "WaitForArray\(ComSafeArrayAsInParam\(aSessionWaitFlags\), 30 \* 1000, &enmWaitResult\)" at line \d+ of file VBoxManageGuestCtrl\.cpp\n$/,
    );
    expect(
      parseMachineReadable(await ok(h, 'showvminfo', 'ga', '--machinereadable')).get('GuestAdditionsRunLevel'),
    ).toBe('0');
    await ok(h, 'setextradata', 'ga', 'vrs-double/guest-additions');
    await ok(h, 'setextradata', 'ga', 'vrs-double/guest-credentials', 'root:pw');
    expect((await h.run(['guestcontrol', 'ga', 'run', '--', '/bin/true'])).exitCode).toBe(2);
    const wrong = await h.run([
      'guestcontrol',
      'ga',
      'run',
      '--username',
      'root',
      '--password',
      'nope',
      '--',
      '/bin/true',
    ]);
    expect(wrong.stderr.split('\n')[0]).toBe('VBoxManage: error: The specified user was not able to logon on guest');
    expect(await h.run(run('ga', '--', '/bin/true'))).toMatchObject({ exitCode: 0 });
    await ok(h, 'controlvm', 'ga', 'pause');
    expect(await h.run(run('ga', '--', '/bin/true'))).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'VBoxManage: error: Machine "ga" is not running (currently paused)!\n',
    });
    expect(existsSync(join(h.home, 'runtime'))).toBe(true);
  });
});
