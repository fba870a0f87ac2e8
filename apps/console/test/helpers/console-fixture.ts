import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { initDataDir, type JobView, loadServerConfig, type RunningServer, startServer } from '@vrs/repository-server';
// The agent and the VirtualBox double are not dependencies of the console: the test runs them from their
// built dist/ by relative path, the way a host would run them (build them first: `pnpm exec turbo run build`).
import {
  AgentRuntime,
  connectVrs,
  enroll,
  readCredential,
  type VrsClient,
} from '../../../../packages/agent/dist/index.js';
import {
  controlVm,
  createMedium,
  createVm,
  setExtraData,
  startVm,
  storageAttach,
  storageCtl,
  VirtualBox,
} from '../../../../packages/virtualbox/dist/index.js';
import { type DoubleHome, makeDoubleHome } from '../../../../packages/virtualbox/dist-double/index.js';

/** The repository root. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** The built console the server serves. */
export const CONSOLE_DIST = join(REPO_ROOT, 'apps', 'console', 'dist');

type Logger = ConstructorParameters<typeof AgentRuntime>[0]['log'];
// pino is the agent's dependency, not the console's: load it from the agent's package.
const pino = createRequire(join(REPO_ROOT, 'packages', 'agent', 'package.json'))('pino') as (
  options: { level: string },
  stream: Writable,
) => Logger;

/** A real vrs-server serving the built console, an enrolled host whose agent runs in this process, one VM on the double. */
export interface ConsoleFixture {
  root: string;
  server: RunningServer;
  /** `https://127.0.0.1:<port>`, where the console is. */
  consoleUrl: string;
  fingerprint: string;
  adminPassword: string;
  /** An admin's tRPC client (bearer token) for setting things up and checking what the pages did. */
  admin: VrsClient;
  vm: string;
  hostId: string;
  /** Server and agent log lines (JSON), for failures. */
  logs: string[];
  waitForJob(id: string, timeoutMs?: number): Promise<JobView>;
  /** Waits until no job is queued or running, twice half a second apart (a snapshot queues a prune after it). */
  waitForIdle(timeoutMs?: number): Promise<void>;
  cleanup(): Promise<void>;
}

const sinkInto = (lines: string[]) =>
  new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });

/**
 * Starts the whole system on this machine: `initDataDir`, a server on 127.0.0.1 port 0 with `consoleDir` at
 * apps/console/dist, a VM "Fedora 41" (one 32 MiB VDI, running, its guest writing) on the VirtualBox double,
 * the host enrolled with a token and its AgentRuntime connected. Resolves once the server lists the VM.
 * Throws when the console or the agent was not built.
 */
export async function startConsoleFixture(): Promise<ConsoleFixture> {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) {
    throw new Error(`${CONSOLE_DIST} has no index.html: build the console first (pnpm exec turbo run build)`);
  }
  const root = mkdtempSync(join(tmpdir(), 'vrs-console-'));
  const logs: string[] = [];
  const serverDir = join(root, 'server');
  const { password, fingerprint } = await initDataDir(serverDir, ['localhost']);
  const config = await loadServerConfig({
    cli: { data: serverDir, listen: '127.0.0.1:0', logLevel: 'info', consoleDir: CONSOLE_DIST },
  });
  const server = await startServer(config, { logDestination: sinkInto(logs) });
  const anon = connectVrs({ server: server.url, fingerprint, params: {} });
  const login = await anon.client.auth.login.mutate({ name: 'admin', password });
  await anon.close();
  const adminConnection = connectVrs({ server: server.url, fingerprint, params: { token: login.token } });
  const admin = adminConnection.client;

  const double: DoubleHome = await makeDoubleHome();
  process.env.VRS_VBOX_DOUBLE_HOME = double.home;
  const vbox = await VirtualBox.connect({ binary: join(double.bin, 'VBoxManage') });
  const vmParent = join(root, 'VirtualBox VMs');
  mkdirSync(vmParent, { recursive: true });
  const { uuid: vm, settingsFile } = await createVm(vbox.run, {
    name: 'Fedora 41',
    ostype: 'Fedora_64',
    basefolder: vmParent,
  });
  const disk = join(settingsFile, '..', 'disk0.vdi');
  await storageCtl(vbox.run, vm, { name: 'SATA', add: 'sata', controller: 'IntelAhci', portcount: 1 });
  await createMedium(vbox.run, { filename: disk, sizeMiB: 32, format: 'VDI' });
  await storageAttach(vbox.run, vm, { storagectl: 'SATA', port: 0, device: 0, type: 'hdd', medium: disk });
  await setExtraData(vbox.run, vm, 'vrs-double/guest-writer', 'rate=200,seed=7,blocks=0-15');
  await startVm(vbox.run, vm);

  const token = await admin.hosts.createToken.mutate({ name: 'laptop' });
  const configDir = join(root, 'agent');
  const enrolled = await enroll({ server: server.url, token: token.token, fingerprint, dir: configDir });
  const stateDir = join(configDir, 'state');
  mkdirSync(stateDir, { recursive: true });
  const agent = new AgentRuntime({
    credential: await readCredential(configDir),
    vbox,
    stateDir,
    log: pino({ level: 'info' }, sinkInto(logs)),
    inventoryIntervalMs: 300,
  });
  await agent.start();

  const fixture: ConsoleFixture = {
    root,
    server,
    consoleUrl: server.url.replace(/^wss:/, 'https:'),
    fingerprint,
    adminPassword: password,
    admin,
    vm,
    hostId: enrolled.hostId,
    logs,
    async waitForJob(id, timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        const job = await admin.jobs.get.query({ id });
        if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job as JobView;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`job ${id} did not finish in ${timeoutMs} ms`);
    },
    async waitForIdle(timeoutMs = 120_000) {
      const end = Date.now() + timeoutMs;
      let quiet = 0;
      while (quiet < 2) {
        if (Date.now() > end) throw new Error(`jobs still running after ${timeoutMs} ms`);
        const active = await admin.jobs.list.query({ state: ['queued', 'running', 'committing'] });
        quiet = active.length === 0 ? quiet + 1 : 0;
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async cleanup() {
      await agent.stop().catch(() => undefined);
      // Stop the guest writer: it writes into the VM folder until the VM is off.
      await controlVm(vbox.run, vm, 'poweroff').catch(() => undefined);
      await adminConnection.close().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await double.cleanup();
      rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
  const end = Date.now() + 60_000;
  while (!(await admin.vms.list.query()).some((v) => v.uuid === vm)) {
    if (Date.now() > end) throw new Error(`the agent never reported VM ${vm}:\n${logs.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return fixture;
}
