import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRepo, listArchives } from '@vrs/borg';
import { DataPaths, initDataDir } from '@vrs/repository-server';
import {
  controlVm,
  createMedium,
  createVm,
  setExtraData,
  startVm,
  storageAttach,
  storageCtl,
  VirtualBox,
} from '@vrs/virtualbox';
import { type DoubleHome, makeDoubleHome } from '@vrs/virtualbox/test-double';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll } from '../src/cli/enroll.js';
import { readCredential } from '../src/config/read-credential.js';
import { connectVrs, type VrsClient } from '../src/connection/vrs-client.js';
import { AgentRuntime } from '../src/runtime/agent-runtime.js';
import { archivedSha256, sha256File } from './helpers/archive-image.js';

const SERVER = new URL('../../repository-server/dist/cli/main.js', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'vrs-restart-'));
const data = join(root, 'server');
let port: number;
let server: ChildProcess | null = null;
let serverLog = '';
let admin: VrsClient;
let double: DoubleHome;
let vbox: VirtualBox;
let agent: AgentRuntime;
let vm: string;
let disk: string;
let image: string;
let hostId: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** Starts `vrs-server start` as a child; resolves once it listens. */
async function startServer(crashAt?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [SERVER, 'start', '--data', data, '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, ...(crashAt ? { VRS_SERVER_CRASH_AT: crashAt } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (serverLog += d));
  child.stderr?.on('data', (d) => (serverLog += d));
  const mark = serverLog.length;
  for (let i = 0; i < 600 && !serverLog.slice(mark).includes('vrs-server listening'); i++)
    await new Promise((r) => setTimeout(r, 100));
  server = child;
  return child;
}
const exited = (child: ChildProcess) =>
  new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));

async function waitForJob(id: string, timeoutMs = 400_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const job = await admin.jobs.get.query({ id }).catch(() => null);
    if (job && ['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${id} did not finish; server log:\n${serverLog.slice(-3000)}`);
}

/** Borg, the catalog and the mirror agree: check passes, rows match archives, the mirror is the last snapshot. */
async function expectConsistent(): Promise<void> {
  const paths = new DataPaths(data);
  const repo = {
    path: paths.repository(hostId),
    passphraseFile: paths.passphrase(hostId),
    cacheDir: paths.borgCache,
    baseDir: paths.borgBase,
  };
  expect((await checkRepo(repo)).ok).toBe(true);
  const archives = (await listArchives(repo)).map((a) => a.name).sort();
  const rows = (await admin.snapshots.list.query({ vmUuid: vm })).map((s) => s.archive).sort();
  expect(rows).toEqual(archives);
}

beforeAll(async () => {
  port = await freePort();
  const { password, fingerprint } = await initDataDir(data, ['localhost']);
  await startServer();
  const url = `wss://127.0.0.1:${port}`;
  const anon = connectVrs({ server: url, fingerprint, params: {} });
  const { token } = await anon.client.auth.login.mutate({ name: 'admin', password });
  await anon.close();
  admin = connectVrs({ server: url, fingerprint, params: { token }, retryDelayMs: () => 300 }).client;
  double = await makeDoubleHome();
  process.env.VRS_VBOX_DOUBLE_HOME = double.home;
  vbox = await VirtualBox.connect({ binary: join(double.bin, 'VBoxManage') });
  const created = await createVm(vbox.run, { name: 'Debian', ostype: 'Debian_64', basefolder: join(root, 'VMs') });
  vm = created.uuid;
  image = join(created.settingsFile, '..', 'debian.vdi');
  await storageCtl(vbox.run, vm, { name: 'SATA', add: 'sata', controller: 'IntelAhci', portcount: 1 });
  await createMedium(vbox.run, { filename: image, sizeMiB: 32, format: 'VDI' });
  await storageAttach(vbox.run, vm, { storagectl: 'SATA', port: 0, device: 0, type: 'hdd', medium: image });
  await setExtraData(vbox.run, vm, 'vrs-double/guest-writer', 'rate=0,seed=5,blocks=0-23');
  const host = await admin.hosts.createToken.mutate({ name: 'laptop' });
  const configDir = join(root, 'agent');
  hostId = (await enroll({ server: url, token: host.token, fingerprint, dir: configDir })).hostId;
  mkdirSync(join(configDir, 'state'), { recursive: true });
  agent = new AgentRuntime({
    credential: await readCredential(configDir),
    vbox,
    stateDir: join(configDir, 'state'),
    log: pino({ level: 'silent' }),
    inventoryIntervalMs: 2000,
  });
  await agent.start();
  for (let i = 0; i < 300 && !(await admin.vms.list.query()).some((v) => v.uuid === vm); i++)
    await new Promise((r) => setTimeout(r, 100));
  disk = (await admin.vms.get.query({ uuid: vm })).disks[0]?.chain[0]?.uuid as string;
}, 300_000);
afterAll(async () => {
  await agent?.stop();
  server?.kill('SIGKILL');
  await double?.cleanup();
  rmSync(root, { recursive: true, force: true });
});

describe('vrs-server killed with SIGKILL mid-job, then started again', () => {
  it.each(['transfer:frames:4', 'seal:received', 'seal:committed'])(
    'at %s: the snapshot job ends truthfully and borg, catalog and mirror agree',
    async (point) => {
      // The guest writes, then the VM holds still so the snapshot's bytes are known.
      await startVm(vbox.run, vm);
      await new Promise((r) => setTimeout(r, 1500));
      await controlVm(vbox.run, vm, 'poweroff');
      server?.kill('SIGTERM');
      if (server) await exited(server);
      const doomed = await startServer(point);
      const job = await admin.snapshots.take.mutate({ vmUuid: vm, label: point });
      expect(await exited(doomed)).toBe('SIGKILL');
      await startServer();
      const done = await waitForJob(job.id);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      // Killed as the seal came in: the seal tried again after the restart takes the cells staged before it.
      if (point === 'seal:received') expect(done.attempts).toBe(1);
      const snapshot = await admin.snapshots.get.query({ id: done.snapshotId as string });
      expect(await archivedSha256(data, hostId, snapshot.archive, disk)).toBe(await sha256File(image));
      await expectConsistent();
      // The server finished the job at its restart; the agent learns of it when its seal retry gets an answer.
      for (let i = 0; i < 600 && agent.status.lastJob?.id !== job.id; i++) await new Promise((r) => setTimeout(r, 100));
      expect(agent.status.lastJob).toMatchObject({ id: job.id, ok: true });
    },
    600_000,
  );
});
