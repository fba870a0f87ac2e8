import { existsSync } from 'node:fs';
import { controlVm, setExtraData, showVmInfo, startVm } from '@vrs/virtualbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { powerOffForRestore } from '../src/vm/power-off.js';
import { VmStateError } from '../src/vm/vm-state-error.js';
import { type BuiltVm, buildVm, type DoubleBox, makeDoubleBox } from './support/double-vm.js';
import { makeTempDir } from './support/temp-dir.js';

let box: DoubleBox;
const folder = makeTempDir('power-off');
let n = 0;
beforeAll(async () => {
  box = await makeDoubleBox();
});
afterAll(() => box.cleanup());

async function vm(extra: Record<string, string> = {}): Promise<BuiltVm> {
  const built = await buildVm(box.vbox, { name: `vm-${n++}`, basefolder: folder, disks: 1 });
  for (const [key, value] of Object.entries(extra)) await setExtraData(box.vbox.run, built.uuid, key, value);
  return built;
}
const state = async (uuid: string) => (await showVmInfo(box.vbox.run, uuid, box.vbox.dialect)).state;
const controlCalls = (from: number) => box.argv.slice(from).filter((a) => a[0] === 'controlvm');

// The double's VBoxManage is a node process per call: generous on a loaded machine; no timing is asserted.
describe('powering a VM off for a restore', { timeout: 240_000 }, () => {
  it('a guest that honours ACPI shuts down after the power button; no hard power-off', async () => {
    const { uuid } = await vm({ 'vrs-double/acpi-shutdown-ms': '300' });
    await startVm(box.vbox.run, uuid);
    const mark = box.argv.length;
    const report = await powerOffForRestore(box.vbox, uuid, { acpiTimeoutMs: 120_000, pollMs: 50 });
    expect(report).toMatchObject({ outcome: 'acpi', from: 'running', to: 'poweroff' });
    expect(report.waitedMs).toBeLessThan(120_000);
    expect(controlCalls(mark)).toEqual([['controlvm', uuid, 'acpipowerbutton']]);
    expect(await state(uuid)).toBe('poweroff');
  });

  it('a guest that ignores the button is powered off once the timeout has passed', async () => {
    const { uuid } = await vm({ 'vrs-double/acpi': 'ignore' });
    await startVm(box.vbox.run, uuid);
    const mark = box.argv.length;
    const report = await powerOffForRestore(box.vbox, uuid, { acpiTimeoutMs: 1500, pollMs: 100 });
    expect(report).toMatchObject({ outcome: 'forced', from: 'running', to: 'poweroff' });
    expect(report.waitedMs).toBeGreaterThanOrEqual(1500);
    expect(controlCalls(mark)).toEqual([
      ['controlvm', uuid, 'acpipowerbutton'],
      ['controlvm', uuid, 'poweroff'],
    ]);
    expect(await state(uuid)).toBe('poweroff');
  });

  it('an already powered-off VM is left alone', async () => {
    const { uuid } = await vm();
    const mark = box.argv.length;
    expect(await powerOffForRestore(box.vbox, uuid)).toEqual({
      vm: uuid,
      outcome: 'already-off',
      from: 'poweroff',
      to: 'poweroff',
      waitedMs: 0,
    });
    expect(controlCalls(mark)).toEqual([]);
  });

  it('a paused VM (which cannot hear the button) is powered off at once, not resumed', async () => {
    const { uuid } = await vm();
    await startVm(box.vbox.run, uuid);
    await controlVm(box.vbox.run, uuid, 'pause');
    const mark = box.argv.length;
    const report = await powerOffForRestore(box.vbox, uuid, { acpiTimeoutMs: 20_000 });
    expect(report).toMatchObject({ outcome: 'forced', from: 'paused', to: 'poweroff', waitedMs: 0 });
    expect(controlCalls(mark)).toEqual([['controlvm', uuid, 'poweroff']]);
  });

  it('a saved VM is refused with VM_RUNNING and a hint, and keeps its saved state', async () => {
    const { uuid } = await vm();
    await startVm(box.vbox.run, uuid);
    await controlVm(box.vbox.run, uuid, 'savestate');
    const stateFile = (await showVmInfo(box.vbox.run, uuid, box.vbox.dialect)).stateFile as string;
    const mark = box.argv.length;
    const error = await powerOffForRestore(box.vbox, uuid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VmStateError);
    expect(error).toMatchObject({ code: 'VM_RUNNING', state: 'saved' });
    expect((error as VmStateError).message).toMatch(/would discard its saved memory/);
    expect((error as VmStateError).hint).toMatch(/discardstate/);
    expect(controlCalls(mark)).toEqual([]);
    expect(await state(uuid)).toBe('saved');
    expect(existsSync(stateFile)).toBe(true);
  });
});
