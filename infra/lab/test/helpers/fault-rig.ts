// The fault tests' setup: a two-host lab on the wifi profile, vrs-server as a child process in the storage
// namespace, and one or more hosts in the host namespace: each a vrs-agent child process with its own
// VirtualBox (a test-double home) holding one VM with one disk. The admin client reaches the server through a
// socat bridge into the storage namespace, not over the lab link: the link carries only what agents send and
// receive, and the admin still sees the server while the link is down.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDRESSES, type Lab, startLab } from '../../../../bench/lib/lab.mjs';
import { connectVrs, type VrsClient } from '../../../../packages/agent/dist/index.js';
import { NEVER, setDefaultSchedule } from '../../../../packages/agent/test/helpers/default-schedule.js';
import type { JobView } from '../../../../packages/repository-server/dist/index.js';
import {
  controlVm,
  createMedium,
  createVm,
  setExtraData,
  showVmInfo,
  startVm,
  storageAttach,
  storageCtl,
  VirtualBox,
} from '../../../../packages/virtualbox/dist/index.js';
import { type DoubleHome, makeDoubleHome, readWriterLog } from '../../../../packages/virtualbox/dist-double/index.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
/** The commands under test, as they are installed: the built CLIs. */
export const SERVER_MAIN = join(REPO, 'packages/repository-server/dist/cli/main.js');
export const AGENT_MAIN = join(REPO, 'packages/agent/dist/cli/main.js');
const SERVER_PORT = 7443;
const SERVER_URL = `wss://${ADDRESSES.storage}:${SERVER_PORT}`;
const FINAL = ['succeeded', 'failed', 'cancelled'];
const KEEP_LOG = 200_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes a promise and a time; returns the promise, or rejects once the time has passed. An admin call made while
 * the server is away waits for the client to reconnect, with no end of its own: every poll goes through this.
 */
export function within<T>(promise: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Takes an admin call; runs it again (300 ms apart) while the server is away, up to `timeoutMs`. */
export async function retrying<T>(call: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await within(call());
    } catch (error) {
      const answered = (error as { data?: { vrsCode?: string } }).data?.vrsCode !== undefined;
      if (answered || Date.now() > end) throw error;
      await sleep(300);
    }
  }
}

/** A child process of the rig (server or agent): its exit, its log, and a way to signal it. */
export interface RigProcess {
  /** Resolves with the exit: 'SIGKILL' when it was killed (GNU time reports 128 + 9), else the exit code. */
  exited: Promise<'SIGKILL' | number | null>;
  readonly alive: boolean;
  log(): string;
  /** Sends the signal to the process itself; resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<'SIGKILL' | number | null>;
}

/** One host of the lab: its VirtualBox, VM, enrolled agent and the agent process. */
export interface Host {
  name: string;
  double: DoubleHome;
  vbox: VirtualBox;
  /** The VBoxManage the agent runs: the double, bound to this host's home. */
  vboxmanage: string;
  vm: string;
  vmFolder: string;
  /** The VM's disk image and its medium UUID (the name its cells have on the server). */
  image: string;
  disk: string;
  hostId: string;
  agentConfig: string;
  agent: RigProcess | null;
  /** Starts `vrs-agent run` in the host namespace; with `crashAt` it SIGKILLs itself there. */
  startAgent(crashAt?: string): RigProcess;
  stopAgent(): Promise<void>;
  /** Lets the guest write `writes` more blocks (the VM is started and powered off again if it was off). */
  guestWrites(writes: number): Promise<void>;
  /** Sets the guest writer's rate (writes a second, 0 = flat out); a running writer follows at once. */
  setWriterRate(rate: number): Promise<void>;
  /** Returns the number of lines in the guest writer's log. */
  writerMark(): Promise<number>;
  /** Waits until the guest wrote at least `blocks` distinct blocks after the log's first `mark` lines. */
  waitForWrites(mark: number, blocks: number): Promise<void>;
}

/** The lab, the server and its admin; add hosts with `addHost`. */
export interface Rig {
  lab: Lab;
  root: string;
  data: string;
  fingerprint: string;
  admin: VrsClient;
  server: RigProcess | null;
  hosts: Host[];
  /** Starts vrs-server (waits until it listens); with `crashAt` it SIGKILLs itself there. */
  startServer(crashAt?: string): Promise<RigProcess>;
  stopServer(): Promise<void>;
  /** Takes the host options; makes a VirtualBox with one VM, enrolls an agent over the lab link and runs it. */
  addHost(o?: HostOptions): Promise<Host>;
  waitForJob(id: string, timeoutMs?: number): Promise<JobView>;
  /**
   * Takes a VM, the admin mutation that makes a job for it and how to recognize that job; returns the job, also
   * when the server died around the call: a job the server created before it died is found again (one job per
   * VM is active). Another job active for the VM (one the scheduler made) is waited out, then the call is made
   * again: taking it for the asked one checked a scheduled snapshot's outcome as a restore's.
   */
  submit(vm: string, create: () => Promise<{ id: string }>, mine: (job: JobView) => boolean): Promise<{ id: string }>;
  /** Waits until no job of any kind is queued, running or committing (prunes after snapshots included). */
  settle(timeoutMs?: number): Promise<void>;
  /** Waits until every host's agent is connected to the server. */
  hostsOnline(timeoutMs?: number): Promise<void>;
  /** The last lines of the server's and every agent's log, for failure messages. */
  logs(): string;
  close(): Promise<void>;
}

/** The options of a rig. */
export interface RigOptions {
  /** The server's data directory (default: in the lab's state directory). */
  data?: string;
  /** vrs.json written into the data directory before the first start. */
  serverConfig?: Record<string, unknown>;
}

/** The options of a host. */
export interface HostOptions {
  sizeMiB?: number;
  /** The guest writer's blocks (first-last), rate (writes a second, 0 = flat out) and seed. */
  blocks?: string;
  rate?: number;
  writerSeed?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Takes a lab.spawn handle; returns it as a RigProcess that keeps its output. */
function track(handle: ReturnType<Lab['spawn']>): RigProcess {
  let text = '';
  const keep = (chunk: string | Buffer) => {
    text = (text + String(chunk)).slice(-KEEP_LOG);
  };
  handle.child.stdout?.on('data', keep);
  handle.child.stderr?.on('data', keep);
  let alive = true;
  const exited = handle.done.then(
    (r: { code: number | null; signal: string | null }) => {
      alive = false;
      return r.code === 137 || r.signal === 'SIGKILL' ? ('SIGKILL' as const) : r.code;
    },
    (e: { code?: number | null }) => {
      alive = false;
      return e.code === 137 ? ('SIGKILL' as const) : (e.code ?? null);
    },
  );
  return {
    exited,
    get alive() {
      return alive;
    },
    log: () => text,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (alive) await handle.stop(signal);
      return exited;
    },
  };
}

/** Takes the rig's options; brings the lab and the server up (a few seconds). Tear it down with `close()`. */
export async function startRig(o: RigOptions = {}): Promise<Rig> {
  const lab = await startLab({ profile: 'wifi', ttlSeconds: 3600 });
  const root = join(dirname(lab.scratch), 'faults');
  const data = o.data ?? join(root, 'storage', 'data');
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const teardown = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
    lab.closeSync();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const init = await lab.run('storage', [process.execPath, SERVER_MAIN, 'init', '--data', data]);
    const password = /admin password \(shown once\): (\S+)/.exec(init.stdout)?.[1];
    const fingerprint = /certificate (SHA256:\S+)/.exec(init.stdout)?.[1];
    if (!password || !fingerprint)
      throw new Error(`vrs-server init printed no password or fingerprint:\n${init.stdout}`);
    if (o.serverConfig) writeFileSync(join(data, 'vrs.json'), JSON.stringify(o.serverConfig));

    // The admin's bridge: 127.0.0.1:<port> here → socat in the storage namespace → the server. It dies with us.
    const adminPort = await freePort();
    const bridge: ChildProcess = spawn(
      'setpriv',
      [
        '--pdeathsig',
        'KILL',
        'socat',
        `TCP-LISTEN:${adminPort},bind=127.0.0.1,reuseaddr,fork`,
        `EXEC:nsenter --net=/run/netns/vrs-${lab.id}-storage socat - TCP\\:${ADDRESSES.storage}\\:${SERVER_PORT}`,
      ],
      { stdio: 'ignore' },
    );
    cleanups.push(() => bridge.kill('SIGKILL'));

    const rig: Rig = {
      lab,
      root,
      data,
      fingerprint,
      admin: null as unknown as VrsClient,
      server: null,
      hosts: [],
      async startServer(crashAt) {
        const handle = track(
          lab.spawn(
            'storage',
            [process.execPath, SERVER_MAIN, 'start', '--data', data, '--listen', `${ADDRESSES.storage}:${SERVER_PORT}`],
            { env: { VRS_SERVER_CRASH_AT: crashAt ?? '' }, check: false },
          ),
        );
        rig.server = handle;
        for (let i = 0; i < 1200; i++) {
          if (handle.log().includes('vrs-server listening')) return handle;
          if (!handle.alive) break;
          await sleep(50);
        }
        throw new Error(`vrs-server did not start listening:\n${handle.log().slice(-3000)}`);
      },
      async stopServer() {
        await rig.server?.kill('SIGTERM');
        rig.server = null;
      },
      addHost: (options) => addHost(rig, options ?? {}, cleanups),
      async waitForJob(id, timeoutMs = 180_000) {
        const end = Date.now() + timeoutMs;
        while (Date.now() < end) {
          const job = await within(rig.admin.jobs.get.query({ id })).catch(() => null);
          if (job && FINAL.includes(job.state)) return job as JobView;
          await sleep(100);
        }
        const job = await within(rig.admin.jobs.get.query({ id })).catch(() => null);
        throw new Error(`job ${id} did not finish in ${timeoutMs} ms (it is ${JSON.stringify(job)})\n${rig.logs()}`);
      },
      async submit(vm, create, mine) {
        const end = Date.now() + 120_000;
        for (;;) {
          try {
            return await within(create());
          } catch (error) {
            const code = (error as { data?: { vrsCode?: string } }).data?.vrsCode;
            if (code === 'CONFLICT') {
              const active = await retrying(() =>
                rig.admin.jobs.list.query({ vmUuid: vm, state: ['queued', 'running', 'committing'] }),
              );
              const job = active.find((j) => mine(j as JobView));
              if (job) return job;
              const other = active.find((j) => ['snapshot', 'restore', 'restore-as-new'].includes(j.kind));
              if (other) await rig.waitForJob(other.id);
            } else if (code !== undefined) throw error;
            if (Date.now() > end) throw error;
            await sleep(300);
          }
        }
      },
      async settle(timeoutMs = 180_000) {
        const end = Date.now() + timeoutMs;
        while (Date.now() < end) {
          const active = await within(
            rig.admin.jobs.list.query({ state: ['queued', 'running', 'committing'], limit: 500 }),
          ).catch(() => null);
          if (active && active.length === 0) return;
          await sleep(200);
        }
        throw new Error(`jobs still active after ${timeoutMs} ms\n${rig.logs()}`);
      },
      async hostsOnline(timeoutMs = 120_000) {
        const end = Date.now() + timeoutMs;
        while (Date.now() < end) {
          const hosts = await within(rig.admin.hosts.list.query()).catch(() => null);
          if (hosts && rig.hosts.every((h) => hosts.some((v) => v.id === h.hostId && v.online))) return;
          await sleep(100);
        }
        throw new Error(`the agents did not reconnect in ${timeoutMs} ms\n${rig.logs()}`);
      },
      logs() {
        const tail = (name: string, p: RigProcess | null) =>
          `--- ${name}:\n${p?.log().slice(-3000) ?? '(not running)'}`;
        return [tail('server', rig.server), ...rig.hosts.map((h) => tail(`agent ${h.name}`, h.agent))].join('\n');
      },
      close: teardown,
    };
    cleanups.push(() => rig.server?.kill('SIGKILL'));

    await rig.startServer();
    const url = `wss://127.0.0.1:${adminPort}`;
    const anon = connectVrs({ server: url, fingerprint, params: {} });
    const { token } = await anon.client.auth.login.mutate({ name: 'admin', password });
    await anon.close();
    const admin = connectVrs({ server: url, fingerprint, params: { token }, retryDelayMs: () => 300 });
    cleanups.push(() => admin.close());
    rig.admin = admin.client;
    // Tests ask for their jobs themselves; one that wants the scheduler among them sets a schedule.
    await setDefaultSchedule(rig.admin, NEVER);
    return rig;
  } catch (error) {
    await teardown();
    throw error;
  }
}

async function addHost(rig: Rig, o: HostOptions, cleanups: (() => Promise<unknown> | unknown)[]): Promise<Host> {
  const name = `laptop-${rig.hosts.length + 1}`;
  const dir = join(rig.root, name);
  const agentConfig = join(dir, 'agent');
  mkdirSync(agentConfig, { recursive: true, mode: 0o700 });
  const double = await makeDoubleHome();
  cleanups.push(() => double.cleanup());
  // Each host has its own VirtualBox: VBoxManage bound to its home (an agent merges every vrs-transient-*
  // snapshot of its VirtualBox when it starts, so two hosts must never share one).
  const vboxmanage = join(dir, 'VBoxManage');
  writeFileSync(
    vboxmanage,
    `#!/bin/sh\nexport VRS_VBOX_DOUBLE_HOME='${double.home}'\nexec '${join(double.bin, 'VBoxManage')}' "$@"\n`,
  );
  chmodSync(vboxmanage, 0o755);
  const vbox = await VirtualBox.connect({ binary: vboxmanage });
  const vmParent = join(dir, 'VirtualBox VMs');
  mkdirSync(vmParent, { recursive: true });
  const created = await createVm(vbox.run, { name: 'faults', ostype: 'Debian_64', basefolder: vmParent });
  const vmFolder = dirname(created.settingsFile);
  const image = join(vmFolder, 'faults.vdi');
  await storageCtl(vbox.run, created.uuid, { name: 'SATA', add: 'sata', controller: 'IntelAhci', portcount: 1 });
  await createMedium(vbox.run, { filename: image, sizeMiB: o.sizeMiB ?? 32, format: 'VDI' });
  await storageAttach(vbox.run, created.uuid, { storagectl: 'SATA', port: 0, device: 0, type: 'hdd', medium: image });
  const writer = (rate: number) => `rate=${rate},seed=${o.writerSeed ?? 1},blocks=${o.blocks ?? '0-3'}`;
  await setExtraData(vbox.run, created.uuid, 'vrs-double/guest-writer', writer(o.rate ?? 0));

  const host: Host = {
    name,
    double,
    vbox,
    vboxmanage,
    vm: created.uuid,
    vmFolder,
    image,
    disk: '',
    hostId: '',
    agentConfig,
    agent: null,
    startAgent(crashAt) {
      host.agent = track(
        rig.lab.spawn('host', [process.execPath, AGENT_MAIN, 'run', '--vboxmanage', vboxmanage], {
          env: { VRS_AGENT_CONFIG: agentConfig, VRS_AGENT_CRASH_AT: crashAt ?? '' },
          check: false,
        }),
      );
      return host.agent;
    },
    async stopAgent() {
      await host.agent?.kill('SIGTERM');
      host.agent = null;
    },
    async guestWrites(writes) {
      const before = await host.writerMark();
      const wasOff = (await showVmInfo(vbox.run, created.uuid, vbox.dialect)).state !== 'running';
      if (wasOff) await startVm(vbox.run, created.uuid);
      while ((await host.writerMark()) < before + writes) await sleep(20);
      if (wasOff) await controlVm(vbox.run, created.uuid, 'poweroff');
    },
    async setWriterRate(rate) {
      await setExtraData(vbox.run, created.uuid, 'vrs-double/guest-writer', writer(rate));
    },
    async writerMark() {
      return (await readWriterLog(double.home, created.uuid)).length;
    },
    async waitForWrites(mark, blocks) {
      for (let i = 0; i < 600; i++) {
        const log = await readWriterLog(double.home, created.uuid);
        if (new Set(log.slice(mark).map((e) => e.block)).size >= blocks) return;
        await sleep(100);
      }
      throw new Error(`the guest of ${name} did not write ${blocks} blocks in 60 s`);
    },
  };
  rig.hosts.push(host);
  cleanups.push(() => host.agent?.kill('SIGKILL'));

  const token = await rig.admin.hosts.createToken.mutate({ name });
  const enrolled = await rig.lab.run(
    'host',
    [
      process.execPath,
      AGENT_MAIN,
      'enroll',
      '--server',
      SERVER_URL,
      '--token',
      token.token,
      '--fingerprint',
      rig.fingerprint,
    ],
    { env: { VRS_AGENT_CONFIG: agentConfig } },
  );
  host.hostId = /\(([0-9a-f-]{36})\)/.exec(enrolled.stdout)?.[1] ?? '';
  if (!host.hostId) throw new Error(`vrs-agent enroll printed no host id:\n${enrolled.stdout}`);
  host.startAgent();
  for (let i = 0; i < 300 && !(await rig.admin.vms.list.query()).some((v) => v.uuid === created.uuid); i++)
    await sleep(100);
  host.disk = (await rig.admin.vms.get.query({ uuid: created.uuid })).disks[0]?.chain[0]?.uuid ?? '';
  if (!host.disk) throw new Error(`the agent of ${name} never reported its VM:\n${host.agent?.log().slice(-3000)}`);
  return host;
}
