// Regression: an agent killed right after the server recorded its in-place restore as done left the restore
// journal (state/restore/<job>/) behind for good: the journal was removed only after finishRestore answered,
// and a succeeded job never runs again. Found by the lab fault tests (infra/lab/test/faults-agent-kill).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { controlVm, startVm } from '@vrs/virtualbox';
import { readWriterLog } from '@vrs/virtualbox/test-double';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { archivedSha256, sha256File } from './helpers/archive-image.js';
import { type E2e, startE2e, waitForVm } from './helpers/e2e-fixture.js';

const MAIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
let e: E2e;
let agent: ChildProcess | null = null;

function runAgent(crashAt?: string): ChildProcess {
  agent = spawn(process.execPath, [MAIN, 'run', '--vboxmanage', join(e.double.bin, 'VBoxManage')], {
    env: { ...e.double.env, VRS_AGENT_CONFIG: e.configDir, ...(crashAt ? { VRS_AGENT_CRASH_AT: crashAt } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return agent;
}
const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );

async function guestWrites(writes: number): Promise<void> {
  const before = (await readWriterLog(e.double.home, e.vm)).length;
  await startVm(e.vbox.run, e.vm);
  while ((await readWriterLog(e.double.home, e.vm)).length < before + writes)
    await new Promise((r) => setTimeout(r, 50));
  await controlVm(e.vbox.run, e.vm, 'poweroff');
}

beforeAll(async () => {
  e = await startE2e({ writer: 'rate=50,seed=9,blocks=0-3', start: false });
  runAgent();
  await waitForVm(e.admin, e.vm);
}, 180_000);
afterAll(async () => {
  agent?.kill('SIGKILL');
  await e?.cleanup();
});

it('an agent killed once its restore is recorded as done leaves no restore journal behind', async () => {
  const disk = (await e.admin.vms.get.query({ uuid: e.vm })).disks[0]?.chain[0]?.uuid as string;
  await guestWrites(8);
  const first = await e.waitForJob((await e.admin.snapshots.take.mutate({ vmUuid: e.vm })).id);
  expect(first.state).toBe('succeeded');
  const snapshot = await e.admin.snapshots.get.query({ id: first.snapshotId as string });
  await guestWrites(8);
  agent?.kill('SIGTERM');
  if (agent) await exited(agent);
  const doomed = runAgent('restore:finished');
  const job = await e.admin.snapshots.restore.mutate({ snapshotId: snapshot.id });
  expect(await exited(doomed)).toBe('SIGKILL');
  const done = await e.waitForJob(job.id);
  expect(done.state).toBe('succeeded');
  expect(await sha256File(e.disks[0] as string)).toBe(
    await archivedSha256(e.serverDir, e.hostId, snapshot.archive, disk),
  );
  runAgent();
  expect(await readdir(join(e.configDir, 'state', 'restore')).catch(() => [])).toEqual([]);
}, 300_000);
