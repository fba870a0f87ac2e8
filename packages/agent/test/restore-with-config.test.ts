import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { showVmInfo } from '@vrs/virtualbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivedSha256, sha256File } from './helpers/archive-image.js';
import { type E2e, startE2e, waitForVm } from './helpers/e2e-fixture.js';

let e: E2e;
beforeAll(async () => {
  e = await startE2e({ start: false });
  await e.startAgent();
  await waitForVm(e.admin, e.vm);
}, 180_000);
afterAll(async () => e?.cleanup());

/** Runs `VBoxManage …` on the double; fails the test on a non-zero exit. */
async function vbox(...args: string[]) {
  const run = await e.double.run(args);
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout;
}

describe('a restore in place with --with-config', () => {
  it('brings back the .vbox settings and leaves the VM registered and usable', async () => {
    const config = join(e.vmFolder, 'Fedora 41.vbox');
    await vbox('modifyvm', e.vm, '--memory', '3072', '--description', 'as snapshotted');
    const job = await e.admin.snapshots.take.mutate({ vmUuid: e.vm, label: 'with settings' });
    const done = await e.waitForJob(job.id, 300_000);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const snapshot = await e.admin.snapshots.get.query({ id: done.snapshotId as string });
    expect(await readFile(config, 'utf8')).toContain('as snapshotted');

    await vbox('modifyvm', e.vm, '--memory', '1024', '--description', 'changed since');
    expect(await vbox('showvminfo', e.vm, '--machinereadable')).toMatch(/^memory=1024$/m);

    // Without --with-config only the disks are restored: the settings stay as they are now.
    const disksOnly = await e.admin.snapshots.restore.mutate({ snapshotId: snapshot.id });
    expect((await e.waitForJob(disksOnly.id, 300_000)).state).toBe('succeeded');
    expect(await vbox('showvminfo', e.vm, '--machinereadable')).toMatch(/^memory=1024$/m);

    const withConfig = await e.admin.snapshots.restore.mutate({ snapshotId: snapshot.id, withConfig: true });
    const restored = await e.waitForJob(withConfig.id, 300_000);
    expect(restored.state, JSON.stringify(restored.error)).toBe('succeeded');
    const info = await vbox('showvminfo', e.vm, '--machinereadable');
    expect(info).toMatch(/^memory=3072$/m);
    expect(info).toMatch(/^description="as snapshotted"$/m);
    expect(await sha256File(e.disks[0] as string)).toBe(
      await archivedSha256(
        e.serverDir,
        e.hostId,
        snapshot.archive,
        (await e.admin.vms.get.query({ uuid: e.vm })).disks[0]?.chain[0]?.uuid as string,
      ),
    );
    // The marker of a restore under way is gone, and the VM still starts.
    expect(await vbox('getextradata', e.vm, 'vrs/restore')).toMatch(/No value set!/);
    expect((await showVmInfo(e.vbox.run, e.vm, e.vbox.dialect)).state).toBe('poweroff');
    await vbox('startvm', e.vm, '--type', 'headless');
    await vbox('controlvm', e.vm, 'poweroff');
  }, 900_000);
});
