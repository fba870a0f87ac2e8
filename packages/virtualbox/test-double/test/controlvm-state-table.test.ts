import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DoubleHome, DoubleRun } from '../src/make-double-home.js';
import {
  background,
  doubleHome,
  makeVm,
  ok,
  operationGate,
  runAs,
  vmInfo,
  vmState,
  waitForState,
} from './helpers/double.js';

// reference/virtualbox.md §1.7: every controlvm command from every state the double can reach, in both dialects.
const DIALECTS = ['7.0.14', '6.1.50'] as const;
const COMMANDS = ['pause', 'resume', 'poweroff', 'savestate', 'acpipowerbutton'] as const;
type Command = (typeof COMMANDS)[number];

/** An expected failure: the message, and for a COM error the call expression of the Context line. */
interface Refusal {
  message: string;
  context?: string;
  component?: string;
}

const console = (message: string, context: string): Refusal => ({ message, context, component: 'ConsoleWrap' });
const CALL: Record<Command, string> = {
  pause: 'Pause()',
  resume: 'Resume()',
  poweroff: 'PowerDown(progress.asOutParam())',
  savestate: 'SaveState(progress.asOutParam())',
  acpipowerbutton: 'PowerButton()',
};

function expectRefusal(r: DoubleRun, want: Refusal): void {
  expect(r.exitCode).toBe(1);
  expect(r.stdout).toBe('');
  if (want.context === undefined) {
    expect(r.stderr).toBe(`VBoxManage: error: ${want.message}\n`);
    return;
  }
  const lines = r.stderr.split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe(`VBoxManage: error: ${want.message}`);
  const iface = want.component === 'ConsoleWrap' ? 'IConsole' : 'IMachine';
  expect(lines[1]).toBe(
    `VBoxManage: error: Details: code VBOX_E_INVALID_VM_STATE (0x80bb0002), component ${want.component}, interface ${iface}, callee nsISupports`,
  );
  expect(lines[2]).toMatch(
    new RegExp(
      `^VBoxManage: error: Context: "${want.context.replace(/[()]/g, '\\$&')}" at line \\d+ of file VBoxManageControlVM\\.cpp$`,
    ),
  );
}

/** Runs each refused command in both dialects (concurrently: refusals change nothing) and checks the texts. */
async function expectRefusals(h: DoubleHome, vm: string, refusals: Partial<Record<Command, Refusal>>): Promise<void> {
  const runs = DIALECTS.flatMap((d) =>
    Object.entries(refusals).map(async ([cmd, want]) => ({
      cmd,
      d,
      want: want as Refusal,
      r: await runAs(h, d, ['controlvm', vm, cmd]),
    })),
  );
  for (const { cmd, d, want, r } of await Promise.all(runs)) {
    try {
      expectRefusal(r, want);
    } catch (error) {
      throw new Error(`controlvm ${cmd} (${d}): ${(error as Error).message}\n${r.stderr}`);
    }
  }
}

async function expectNotRunning(h: DoubleHome, vm: string): Promise<void> {
  const runs = await Promise.all(
    DIALECTS.flatMap((d) => COMMANDS.map(async (cmd) => ({ d, cmd, r: await runAs(h, d, ['controlvm', vm, cmd]) }))),
  );
  for (const { d, cmd, r } of runs) {
    expect({ d, cmd, exitCode: r.exitCode, stderr: r.stderr, stdout: r.stdout }).toEqual({
      d,
      cmd,
      exitCode: 1,
      stdout: '',
      stderr: `VBoxManage: error: Machine '${vm}' is not currently running${d === '7.0.14' ? '.' : ''}\n`,
    });
  }
}

describe.concurrent('controlvm from every state (reference §1.7)', () => {
  it('refuses every command with "is not currently running" for poweroff, saved and aborted VMs', async (t) => {
    const h = await doubleHome(t);
    const vm = await makeVm(h, 'idle');
    await expectNotRunning(h, 'idle');
    await ok(h, 'startvm', 'idle', '--type', 'headless');
    await ok(h, 'controlvm', 'idle', 'savestate');
    expect(await vmState(h, 'idle')).toBe('saved');
    await expectNotRunning(h, 'idle');
    await ok(h, 'startvm', 'idle', '--type', 'headless');
    const pid = Number(JSON.parse(readFileSync(`${h.home}/runtime/${vm.uuid}/state.json`, 'utf8')).writerPid);
    process.kill(pid, 'SIGKILL');
    await waitForState(h, 'idle', 'aborted');
    await expectNotRunning(h, 'idle');
    // by UUID the message names the argument as typed
    await expectNotRunning(h, vm.uuid);
  });

  it('running: pause, poweroff, savestate and acpipowerbutton work; resume is refused', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'r');
    await ok(h, 'startvm', 'r', '--type', 'headless');
    await expectRefusals(h, 'r', {
      resume: console('Cannot resume the machine as it is not paused (machine state: Running)', CALL.resume),
    });
    expect(await h.run(['controlvm', 'r', 'pause'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await vmState(h, 'r')).toBe('paused');
    await ok(h, 'controlvm', 'r', 'resume');
    expect(await vmState(h, 'r')).toBe('running');
    const saved = await h.run(['controlvm', 'r', 'savestate']);
    expect(saved).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n',
    });
    const info = await vmInfo(h, 'r');
    expect(info.get('VMState')).toBe('saved');
    expect(info.get('VMStateFile')).toMatch(/\/Snapshots\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{9}Z\.sav$/);
    expect(existsSync(info.get('VMStateFile') as string)).toBe(true);
    await ok(h, 'startvm', 'r', '--type', 'headless');
    expect(existsSync(info.get('VMStateFile') as string)).toBe(false);
    expect((await vmInfo(h, 'r')).has('VMStateFile')).toBe(false);
    expect(await h.run(['controlvm', 'r', 'acpipowerbutton'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    await waitForState(h, 'r', 'poweroff');
    await ok(h, 'startvm', 'r', '--type', 'headless');
    const off = await h.run(['controlvm', 'r', 'poweroff']);
    expect(off).toEqual({
      exitCode: 0,
      stdout: '',
      stderr: '0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n',
    });
    expect(await vmState(h, 'r')).toBe('poweroff');
  });

  it('paused: pause and acpipowerbutton are refused; resume, savestate and poweroff work', async (t) => {
    const h = await doubleHome(t);
    await makeVm(h, 'p');
    await ok(h, 'startvm', 'p', '--type', 'headless');
    await ok(h, 'controlvm', 'p', 'pause');
    await expectRefusals(h, 'p', {
      pause: console('Already paused', CALL.pause),
      acpipowerbutton: console('Invalid machine state: Paused', CALL.acpipowerbutton),
    });
    await ok(h, 'controlvm', 'p', 'savestate');
    expect(await vmState(h, 'p')).toBe('saved');
    await ok(h, 'startvm', 'p', '--type', 'headless');
    await ok(h, 'controlvm', 'p', 'pause');
    await ok(h, 'controlvm', 'p', 'poweroff');
    expect(await vmState(h, 'p')).toBe('poweroff');
  });

  it('livesnapshotting: resume and poweroff are refused; pause turns it into an online snapshot that ends paused', async (t) => {
    const h = await doubleHome(t);
    const gate = operationGate(h);
    await makeVm(h, 'l', { extra: gate.extra });
    await ok(h, 'startvm', 'l', '--type', 'headless');
    gate.close();
    const take = background(h, ['snapshot', 'l', 'take', 'live', '--live']);
    await waitForState(h, 'l', 'livesnapshotting');
    await expectRefusals(h, 'l', {
      resume: console('Cannot resume the machine as it is not paused (machine state: LiveSnapshotting)', CALL.resume),
      poweroff: console('Cannot power down at this point in a live snapshot', CALL.poweroff),
    });
    await ok(h, 'controlvm', 'l', 'pause');
    expect(await vmState(h, 'l')).toBe('onlinesnapshotting');
    gate.open();
    expect((await take).exitCode).toBe(0);
    expect(await vmState(h, 'l')).toBe('paused');
    await ok(h, 'controlvm', 'l', 'resume');
    expect(await vmState(h, 'l')).toBe('running');
  });

  it('livesnapshotting: savestate pauses first and is then refused in OnlineSnapshotting; acpipowerbutton works', async (t) => {
    const h = await doubleHome(t);
    const gate = operationGate(h);
    await makeVm(h, 'l2', { extra: gate.extra });
    await ok(h, 'startvm', 'l2', '--type', 'headless');
    gate.close();
    const take = background(h, ['snapshot', 'l2', 'take', 'live', '--live']);
    await waitForState(h, 'l2', 'livesnapshotting');
    const save = await h.run(['controlvm', 'l2', 'savestate']);
    expectRefusal(save, {
      message:
        'Cannot save the execution state as the machine is not running or paused (machine state: OnlineSnapshotting)',
      context: CALL.savestate,
      component: 'SessionMachine',
    });
    gate.open();
    expect((await take).exitCode).toBe(0);
    expect(await vmState(h, 'l2')).toBe('paused');
    await ok(h, 'controlvm', 'l2', 'resume');
    gate.close();
    const take2 = background(h, ['snapshot', 'l2', 'take', 'live2', '--live']);
    await waitForState(h, 'l2', 'livesnapshotting');
    expect(await h.run(['controlvm', 'l2', 'acpipowerbutton'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    gate.open();
    expect((await take2).exitCode).toBe(0);
    await waitForState(h, 'l2', 'poweroff');
  });

  it('onlinesnapshotting (take without --live): every command is refused', async (t) => {
    const h = await doubleHome(t);
    const gate = operationGate(h);
    await makeVm(h, 'o', { extra: gate.extra });
    await ok(h, 'startvm', 'o', '--type', 'headless');
    gate.close();
    const take = background(h, ['snapshot', 'o', 'take', 'paused-take']);
    await waitForState(h, 'o', 'onlinesnapshotting');
    await expectRefusals(h, 'o', {
      pause: console('Already paused', CALL.pause),
      resume: console('Cannot resume the machine as it is not paused (machine state: OnlineSnapshotting)', CALL.resume),
      poweroff: console('Cannot power down at this point in an online snapshot', CALL.poweroff),
      savestate: { message: 'Machine in invalid state 19 -- online snapshotting.' },
      acpipowerbutton: console('Invalid machine state: OnlineSnapshotting', CALL.acpipowerbutton),
    });
    gate.open();
    expect((await take).exitCode).toBe(0);
    expect(await vmState(h, 'o')).toBe('running');
  });

  it('deletingsnapshotlive and deletingsnapshotlivepaused: every command is refused', async (t) => {
    const h = await doubleHome(t);
    const gate = operationGate(h);
    await makeVm(h, 'd', { extra: gate.extra });
    await ok(h, 'startvm', 'd', '--type', 'headless');
    await ok(h, 'snapshot', 'd', 'take', 's1', '--live');
    await ok(h, 'snapshot', 'd', 'take', 's2', '--live');
    for (const [paused, state, api] of [
      [false, 'deletingsnapshotlive', 'DeletingSnapshotOnline'],
      [true, 'deletingsnapshotlivepaused', 'DeletingSnapshotPaused'],
    ] as const) {
      if (paused) await ok(h, 'controlvm', 'd', 'pause');
      gate.close();
      const del = background(h, ['snapshot', 'd', 'delete', paused ? 's2' : 's1']);
      await waitForState(h, 'd', state);
      await expectRefusals(h, 'd', {
        pause: console(`Invalid machine state: ${api}`, CALL.pause),
        resume: console(`Cannot resume the machine as it is not paused (machine state: ${api})`, CALL.resume),
        poweroff: console(`Invalid machine state: ${api} (must be Running, Paused or Stuck)`, CALL.poweroff),
        savestate: {
          message: `Machine in invalid state ${paused ? 18 : 17} -- deleting snapshot live${paused ? ' paused' : ''}.`,
        },
        acpipowerbutton: console(`Invalid machine state: ${api}`, CALL.acpipowerbutton),
      });
      gate.open();
      expect((await del).exitCode).toBe(0);
      expect(await vmState(h, 'd')).toBe(paused ? 'paused' : 'running');
    }
  });

  it('saving: every command is refused while savestate writes the saved state', async (t) => {
    const h = await doubleHome(t);
    const gate = operationGate(h);
    await makeVm(h, 's', { extra: gate.extra });
    await ok(h, 'startvm', 's', '--type', 'headless');
    gate.close();
    const save = background(h, ['controlvm', 's', 'savestate']);
    await waitForState(h, 's', 'saving');
    await expectRefusals(h, 's', {
      pause: console('Invalid machine state: Saving', CALL.pause),
      resume: console('Cannot resume the machine as it is not paused (machine state: Saving)', CALL.resume),
      poweroff: console('Cannot power down at this point during a save state', CALL.poweroff),
      savestate: { message: 'Machine in invalid state 13 -- saving.' },
      acpipowerbutton: console('Invalid machine state: Saving', CALL.acpipowerbutton),
    });
    gate.open();
    expect((await save).exitCode).toBe(0);
    expect(await vmState(h, 's')).toBe('saved');
  });

  it('snapshotting and deletingsnapshot (offline): no console, so "is not currently running"', async (t) => {
    const h = await doubleHome(t);
    const gate = operationGate(h);
    await makeVm(h, 'f', { extra: gate.extra });
    gate.close();
    const take = background(h, ['snapshot', 'f', 'take', 'offline']);
    await waitForState(h, 'f', 'snapshotting');
    await expectNotRunning(h, 'f');
    gate.open();
    expect((await take).exitCode).toBe(0);
    gate.close();
    const del = background(h, ['snapshot', 'f', 'delete', 'offline']);
    await waitForState(h, 'f', 'deletingsnapshot');
    await expectNotRunning(h, 'f');
    gate.open();
    expect((await del).exitCode).toBe(0);
    expect(await vmState(h, 'f')).toBe('poweroff');
  });
});
