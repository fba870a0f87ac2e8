import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VmInfo } from '@vrs/virtualbox';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CaptureJournal,
  captureVss,
  makeCreateShadowScript,
  makeDeleteShadowScript,
  type PowerShellRunner,
  SHADOW_CREATE_RESULTS,
  shadowPath,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vrs-vss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ID = '{7C036CC7-93E5-4FCD-AF60-7B6962DD711F}';
const DEVICE = '\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy4';
const vm: VmInfo = {
  uuid: '7e261a39-d356-4eb1-a8ed-75675b149241',
  name: 'Xubuntu 22.04',
  state: 'running',
  stateChangeTime: null,
  configFile: 'C:\\Users\\kouzm\\VirtualBox VMs\\Xubuntu 22.04\\Xubuntu 22.04.vbox',
  snapshotFolder: null,
  nvramFile: null,
  stateFile: null,
  sessionName: 'GUI/Qt',
  firmware: 'BIOS',
  snapshots: [],
  currentSnapshotUuid: null,
  inaccessible: false,
  disks: [
    {
      controller: 'SATA',
      port: 0,
      device: 0,
      mediumUuid: 'e31692be-ff5c-424f-818d-07a377758041',
      path: 'C:\\Virtual Machines\\xubuntu22.04-3.vdi',
    },
  ],
};

/** Replays recorded PowerShell outputs (the runner is injectable precisely for this). */
function recorded(answers: string[]): { run: PowerShellRunner; scripts: string[] } {
  const scripts: string[] = [];
  return {
    scripts,
    run: async (script) => {
      scripts.push(script);
      return { stdout: answers.shift() ?? '', stderr: '', exitCode: 0 };
    },
  };
}

describe('the VSS provider (recorded PowerShell outputs)', () => {
  it('creates a ClientAccessible shadow, reads through its DeviceObject, and deletes exactly it', async () => {
    const ps = recorded([JSON.stringify({ ReturnValue: 0, ShadowID: ID, DeviceObject: DEVICE }), '']);
    const journal = new CaptureJournal(join(dir, 'ok.journal'));
    const taken = await captureVss(vm, { job: 'j', workDir: dir }, journal, ps.run);
    expect(ps.scripts[0]).toContain("Volume = 'C:\\'; Context = 'ClientAccessible'");
    expect(taken.files.find((f) => f.role === 'disk')?.readPath).toBe(
      `${DEVICE}\\Virtual Machines\\xubuntu22.04-3.vdi`,
    );
    expect(await journal.open()).toEqual([expect.objectContaining({ intent: { kind: 'shadow', id: ID } })]);
    await taken.release();
    expect(ps.scripts[1]).toBe(makeDeleteShadowScript(ID));
    expect(await journal.open()).toEqual([]);
  });

  it.each(Object.entries(SHADOW_CREATE_RESULTS).filter(([code]) => code !== '0'))(
    'explains return value %s: %s',
    async (code, message) => {
      const ps = recorded([JSON.stringify({ ReturnValue: Number(code), ShadowID: null, DeviceObject: null })]);
      await expect(
        captureVss(vm, { job: 'j', workDir: dir }, new CaptureJournal(join(dir, `${code}.journal`)), ps.run),
      ).rejects.toThrow(message);
    },
  );

  it('refuses files spread over drive letters, and shadow IDs that are not IDs', async () => {
    const spread = { ...vm, disks: [{ ...(vm.disks[0] as VmInfo['disks'][number]), path: 'D:\\vm.vdi' }] };
    await expect(
      captureVss(spread, { job: 'j', workDir: dir }, new CaptureJournal(join(dir, 'x.journal')), recorded([]).run),
    ).rejects.toThrow(/one drive letter/);
    expect(() => makeDeleteShadowScript("x'; Remove-Item C:\\ -Recurse; '")).toThrow(/not a shadow ID/);
    expect(makeCreateShadowScript('C:\\')).toMatch(/ConvertTo-Json -Compress$/);
    expect(shadowPath(DEVICE, 'C:\\a\\b.vdi')).toBe(`${DEVICE}\\a\\b.vdi`);
  });
});
