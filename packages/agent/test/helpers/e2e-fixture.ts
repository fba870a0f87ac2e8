import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { initDataDir, type JobView, loadServerConfig, type RunningServer, startServer } from '@vrs/repository-server';
import { createMedium, createVm, setExtraData, startVm, storageAttach, storageCtl, VirtualBox } from '@vrs/virtualbox';
import { type DoubleHome, makeDoubleHome } from '@vrs/virtualbox/test-double';
import { pino } from 'pino';
import { enroll } from '../../src/cli/enroll.js';
import { readCredential } from '../../src/config/read-credential.js';
import { connectVrs, type VrsClient } from '../../src/connection/vrs-client.js';
import { AgentRuntime } from '../../src/runtime/agent-runtime.js';
import { NEVER, setDefaultSchedule } from './default-schedule.js';

/** A server, an enrolled host with its agent running in this process, a VM on the double, and an admin client. */
export interface E2e {
  root: string;
  server: RunningServer;
  serverDir: string;
  fingerprint: string;
  admin: VrsClient;
  double: DoubleHome;
  vbox: VirtualBox;
  vm: string;
  vmFolder: string;
  disks: string[];
  configDir: string;
  hostId: string;
  agent: AgentRuntime | null;
  logs: string[];
  startAgent(): Promise<AgentRuntime>;
  stopAgent(): Promise<void>;
  waitForJob(id: string, timeoutMs?: number): Promise<JobView>;
  cleanup(): Promise<void>;
}

const sinkInto = (lines: string[]) =>
  new Writable({
    write(chunk, _e, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });

/** Takes VM options; returns the whole end-to-end setup on one machine (server on 127.0.0.1 port 0). */
export async function startE2e(
  o: { disks?: number; sizeMiB?: number; writer?: string; start?: boolean; vmParent?: string } = {},
): Promise<E2e> {
  const root = mkdtempSync(join(tmpdir(), 'vrs-e2e-'));
  const serverDir = join(root, 'server');
  const { password, fingerprint } = await initDataDir(serverDir, ['localhost']);
  const logs: string[] = [];
  const config = await loadServerConfig({ cli: { data: serverDir, listen: '127.0.0.1:0', logLevel: 'info' } });
  const server = await startServer(config, { logDestination: sinkInto(logs) });
  const anon = connectVrs({ server: server.url, fingerprint, params: {} });
  const login = await anon.client.auth.login.mutate({ name: 'admin', password });
  await anon.close();
  const admin = connectVrs({ server: server.url, fingerprint, params: { token: login.token } }).client;
  await setDefaultSchedule(admin, NEVER);

  const double = await makeDoubleHome();
  process.env.VRS_VBOX_DOUBLE_HOME = double.home;
  const vbox = await VirtualBox.connect({ binary: join(double.bin, 'VBoxManage') });
  const vmParent = o.vmParent ?? join(root, 'VirtualBox VMs');
  mkdirSync(vmParent, { recursive: true });
  const { uuid: vm, settingsFile } = await createVm(vbox.run, {
    name: 'Fedora 41',
    ostype: 'Fedora_64',
    basefolder: vmParent,
  });
  const vmFolder = join(settingsFile, '..');
  const count = o.disks ?? 1;
  await storageCtl(vbox.run, vm, { name: 'SATA', add: 'sata', controller: 'IntelAhci', portcount: count });
  const disks: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(vmFolder, `disk${i}.vdi`);
    await createMedium(vbox.run, { filename: file, sizeMiB: o.sizeMiB ?? 32, format: 'VDI' });
    await storageAttach(vbox.run, vm, { storagectl: 'SATA', port: i, device: 0, type: 'hdd', medium: file });
    disks.push(file);
  }
  await setExtraData(vbox.run, vm, 'vrs-double/guest-writer', o.writer ?? 'rate=200,seed=7,blocks=0-15');
  if (o.start !== false) await startVm(vbox.run, vm);

  const token = await admin.hosts.createToken.mutate({ name: 'laptop' });
  const configDir = join(root, 'agent');
  const enrolled = await enroll({ server: server.url, token: token.token, fingerprint, dir: configDir });
  const e2e: E2e = {
    root,
    server,
    serverDir,
    fingerprint,
    admin,
    double,
    vbox,
    vm,
    vmFolder,
    disks,
    configDir,
    hostId: enrolled.hostId,
    agent: null,
    logs,
    async startAgent() {
      const stateDir = join(configDir, 'state');
      mkdirSync(stateDir, { recursive: true });
      const runtime = new AgentRuntime({
        credential: await readCredential(configDir),
        vbox,
        stateDir,
        log: pino({ level: 'info' }, sinkInto(logs)),
        inventoryIntervalMs: 2000,
      });
      await runtime.start();
      e2e.agent = runtime;
      return runtime;
    },
    async stopAgent() {
      await e2e.agent?.stop();
      e2e.agent = null;
    },
    async waitForJob(id, timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        const job = await admin.jobs.get.query({ id });
        if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job as JobView;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`job ${id} did not finish in ${timeoutMs} ms`);
    },
    async cleanup() {
      await e2e.stopAgent().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await double.cleanup();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return e2e;
}

/** Takes the admin client and a VM; waits until the server lists it (the agent's inventory arrived). */
export async function waitForVm(admin: VrsClient, vm: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if ((await admin.vms.list.query()).some((v) => v.uuid === vm)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the VM ${vm} never reached the server`);
}
