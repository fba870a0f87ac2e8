import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashImage, planDelta } from '@vrs/block-engine';
import { captureFileUuid, cellHash, cellRange, DEFAULT_WINDOW, encodeFrame, type Manifest } from '@vrs/protocol';
import { controlVm, startVm } from '@vrs/virtualbox';
import { readWriterLog } from '@vrs/virtualbox/test-double';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivedSha256, sha256File } from './helpers/archive-image.js';
import { type E2e, startE2e, waitForVm } from './helpers/e2e-fixture.js';

const MAIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
let e: E2e;
let disk: string;
let agent: ChildProcess | null = null;

/** Starts `vrs-agent run` as a child process, killing itself with SIGKILL at `crashAt` when given. */
function runAgent(crashAt?: string): ChildProcess {
  const child = spawn(process.execPath, [MAIN, 'run', '--vboxmanage', join(e.double.bin, 'VBoxManage')], {
    env: { ...e.double.env, VRS_AGENT_CONFIG: e.configDir, ...(crashAt ? { VRS_AGENT_CRASH_AT: crashAt } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  agent = child;
  return child;
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
}

async function stopAgent(): Promise<void> {
  if (agent && agent.exitCode === null && agent.signalCode === null) {
    const done = exited(agent);
    agent.kill('SIGTERM');
    await done;
  }
  agent = null;
}

/** Lets the guest write for a moment, then powers the VM off: the disk changes, then holds still. */
async function guestWrites(): Promise<void> {
  const before = (await readWriterLog(e.double.home, e.vm)).length;
  await startVm(e.vbox.run, e.vm);
  while ((await readWriterLog(e.double.home, e.vm)).length < before + 40) await new Promise((r) => setTimeout(r, 50));
  await controlVm(e.vbox.run, e.vm, 'poweroff');
}

/** Takes what one side holds and what the other needs; returns the wire bytes of the frames that must travel. */
async function neededWireBytes(target: Manifest, basis: Manifest | null, path: string, file: string): Promise<number> {
  const plan = planDelta(target, basis);
  const image = await readFile(path);
  let bytes = 0;
  for (const p of plan.send) {
    const { offset, length } = cellRange(target.grid, p);
    bytes += encodeFrame({
      type: 'data',
      disk: file,
      position: p,
      hash: cellHash(target, p),
      payload: image.subarray(offset, offset + length),
    }).length;
  }
  return bytes;
}

async function transferred(direction: 'in' | 'out'): Promise<number> {
  return (
    (await e.server.app.metrics.transferBytes.get()).values.find((v) => v.labels.direction === direction)?.value ?? 0
  );
}

beforeAll(async () => {
  e = await startE2e({ writer: 'rate=0,seed=3,blocks=0-23', start: false });
  runAgent();
  await waitForVm(e.admin, e.vm);
  disk = (await e.admin.vms.get.query({ uuid: e.vm })).disks[0]?.chain[0]?.uuid as string;
  await stopAgent();
}, 180_000);
afterAll(async () => {
  await stopAgent();
  await e?.cleanup();
});

describe('the agent killed with SIGKILL mid-job, then started again', () => {
  const snapshots: { id: string; archive: string }[] = [];

  it.each(['snapshot:sent:1', 'snapshot:sent:12', 'snapshot:sealing'])(
    'at %s: the snapshot job resumes, is byte-exact, and re-sends at most one cell',
    async (point) => {
      await guestWrites();
      const mirror = e.server.app.repositories.mirror(e.hostId);
      let needed = 0;
      for (const [uuid, path] of [
        [disk, e.disks[0] as string],
        [captureFileUuid(e.vm, 'config'), join(e.vmFolder, 'Fedora 41.vbox')],
      ] as const) {
        const { manifest } = await hashImage(path);
        needed += await neededWireBytes(manifest, await mirror.readManifest(e.vm, uuid), path, uuid);
      }
      const start = await transferred('in');
      const killed = exited(runAgent(point));
      const job = await e.admin.snapshots.take.mutate({ vmUuid: e.vm, label: point });
      expect(await killed).toBe('SIGKILL');
      runAgent();
      const done = await e.waitForJob(job.id, 400_000);
      await stopAgent();
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      expect(done.attempts).toBe(2);
      const snapshot = await e.admin.snapshots.get.query({ id: done.snapshotId as string });
      snapshots.push(snapshot);
      expect(await archivedSha256(e.serverDir, e.hostId, snapshot.archive, disk)).toBe(
        await sha256File(e.disks[0] as string),
      );
      const resent = (await transferred('in')) - start - needed;
      console.log(`${point}: needed ${needed} bytes, sent ${needed + resent}: ${resent} bytes again`);
      expect(resent).toBeGreaterThanOrEqual(0);
      expect(resent).toBeLessThanOrEqual(1024 * 1024 + 72);
    },
    600_000,
  );

  it.each(['restore:fetched:1', 'restore:fetched:10'])(
    'at %s: the restore resumes, ends byte-exact, and fetches again at most the cells in flight',
    async (point) => {
      const target = snapshots[0] as { id: string; archive: string };
      await guestWrites();
      const { manifest: local } = await hashImage(e.disks[0] as string);
      const archived = await e.server.app.snapshots.openForRestore(e.hostId, e.vm, target.id);
      const wanted = archived.reader.manifest(disk);
      const start = await transferred('out');
      const killed = exited(runAgent(point));
      const job = await e.admin.snapshots.restore.mutate({ snapshotId: target.id });
      expect(await killed).toBe('SIGKILL');
      runAgent();
      const done = await e.waitForJob(job.id, 400_000);
      await stopAgent();
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      expect(await sha256File(e.disks[0] as string)).toBe(
        await archivedSha256(e.serverDir, e.hostId, target.archive, disk),
      );
      const sent = (await transferred('out')) - start;
      const differing = planDelta(wanted, local).send.length;
      console.log(`${point}: ${differing} cells differed; ${sent} bytes on the wire`);
      // At most the acknowledgement window (DEFAULT_WINDOW cells) was on its way when the agent died.
      expect(sent).toBeLessThanOrEqual((differing + DEFAULT_WINDOW) * (1024 * 1024 + 72));
      console.log(
        `${point}: ${Math.max(0, sent - differing * (1024 * 1024 + 72))} bytes fetched again (window ${DEFAULT_WINDOW} cells)`,
      );
    },
    600_000,
  );
});
