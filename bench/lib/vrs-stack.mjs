// vrs itself in the two-host lab, with the real commands: `vrs-server` in the storage namespace, `vrs-agent` in
// the host namespace with VirtualBox played by the test double, and the `vrs` CLI (run on storage, so that the
// user's own calls stay off the measured link). Each long-running side joins a CPU group; the double's
// VBoxManage processes join theirs through a wrapper on the agent's PATH.
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDRESSES } from './lab.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The product's entry points and the VirtualBox double's shim. */
export const BIN = {
  server: join(repoRoot, 'packages/repository-server/dist/cli/main.js'),
  agent: join(repoRoot, 'packages/agent/dist/cli/main.js'),
  cli: join(repoRoot, 'apps/cli/dist/main.js'),
  vboxmanage: join(repoRoot, 'packages/virtualbox/test-double/bin/VBoxManage'),
};
const PORT = 7443;
const SET_METHOD = join(dirname(fileURLToPath(import.meta.url)), 'set-capture-method.mjs');
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
const NOTED = new Set(['captured', 'job started', 'job done', 'job failed', 'VM powered off for the restore']);

/** Takes a predicate (maybe async) and a limit; polls it every 100 ms until it is truthy. Throws after the limit. */
export async function until(what, check, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Takes a long-running lab process and a log file; copies its output there and keeps the agent's noted events. */
function follow(handle, file, events) {
  const fd = openSync(file, 'a');
  let partial = '';
  const onData = (chunk) => {
    writeSync(fd, chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        const event = JSON.parse(line);
        if (NOTED.has(event.msg)) events.push({ ...event, seenAt: Date.now() });
      } catch {
        // not a log record
      }
    }
  };
  handle.child.stdout.on('data', onData);
  handle.child.stderr.on('data', (chunk) => writeSync(fd, chunk));
  return () => partial;
}

/**
 * Takes the lab and { dir, vboxHome, groups: { server, agent, double } CpuGroups, trace: debug logs and a log of
 * every VBoxManage call in DIR }; initializes a server data
 * directory, starts vrs-server on storage, enrolls and starts vrs-agent on the host and logs the CLI in.
 * Returns { cli(argv), job(argv), setCaptureMethod(vm, method), metrics(), events, stop(), url, data }.
 * Throws with the failing command's stderr.
 */
export async function startVrsStack(lab, { dir, vboxHome, groups, trace = false }) {
  const data = join(dir, 'server');
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  // The agent's VBoxManage: the double, after joining the double's CPU group (its VM processes follow).
  const vboxmanage = join(bin, 'VBoxManage');
  writeFileSync(
    vboxmanage,
    `#!/bin/sh\necho $$ > '${groups.double.dir}/cgroup.procs' 2>/dev/null\n${trace ? `echo "$(date +%s.%N) $*" >> '${join(dir, 'vboxmanage.log')}'\n` : ''}exec '${BIN.vboxmanage}' "$@"\n`,
    { mode: 0o755 },
  );
  const url = `wss://${ADDRESSES.storage}:${PORT}`;
  const env = {
    LANG: 'C',
    PATH: `${bin}:${process.env.PATH}`,
    VRS_VBOX_DOUBLE_HOME: vboxHome,
    VRS_AGENT_CONFIG: join(dir, 'agent'),
    VRS_CLI_CONFIG: join(dir, 'cli'),
    ...(trace ? { VRS_LOG_LEVEL: 'debug' } : {}),
  };
  const node = process.execPath;
  const init = execFileSync(node, [BIN.server, 'init', '--data', data], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const password = /admin password \(shown once\): (\S+)/.exec(init)?.[1];
  const fingerprint = /certificate (SHA256:\S+)/.exec(init)?.[1];
  if (!password || !fingerprint) throw new Error(`vrs-server init printed no password or fingerprint:\n${init}`);

  const events = [];
  const server = lab.spawn(
    'storage',
    groups.server.wrap([node, BIN.server, 'start', '--data', data, '--listen', `${ADDRESSES.storage}:${PORT}`]),
    { env, check: false },
  );
  let serverLog = '';
  server.child.stdout.on('data', (chunk) => {
    serverLog = (serverLog + chunk).slice(-8192);
  });
  follow(server, join(dir, 'server.log'), []);
  await until('vrs-server to listen', () => {
    if (server.child.exitCode !== null) throw new Error(`vrs-server exited ${server.child.exitCode}:\n${serverLog}`);
    return serverLog.includes('vrs-server listening');
  });

  const token = JSON.parse(
    execFileSync(node, [BIN.server, 'token', 'create', '--data', data, '--host', 'bench-host', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    }),
  ).token;
  await lab.run(
    'host',
    [
      node,
      BIN.agent,
      'enroll',
      '--server',
      url,
      '--token',
      token,
      '--fingerprint',
      fingerprint,
      '--vboxmanage',
      vboxmanage,
    ],
    { env },
  );
  const agent = lab.spawn(
    'host',
    groups.agent.wrap([node, BIN.agent, 'run', '--vboxmanage', vboxmanage, '--log-level', trace ? 'debug' : 'info']),
    {
      env,
      check: false,
    },
  );
  follow(agent, join(dir, 'agent.log'), events);
  await lab.run(
    'storage',
    [node, BIN.cli, 'login', '--server', url, '--user', 'admin', '--fingerprint', fingerprint, '--password-stdin'],
    { env, input: `${password}\n` },
  );

  /** Takes a CLI argv (without --json); runs `vrs … --json` on storage; returns { value, seconds, code }. */
  async function cli(argv) {
    const r = await lab.run('storage', [node, BIN.cli, ...argv, '--json'], { env, check: false });
    let value = null;
    try {
      value = JSON.parse(r.stdout);
    } catch {
      if (r.code !== 0) throw new Error(`vrs ${argv.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(-2000)}`);
    }
    return { value, seconds: r.seconds, code: r.code };
  }

  /** Takes the argv of a job command (`snapshot VM …` / `restore VM SNAP …`); runs it with --wait; throws unless it succeeded. */
  async function job(argv) {
    const r = await cli([...argv, '--wait']);
    if (r.value?.state !== 'succeeded')
      throw new Error(
        `vrs ${argv.join(' ')}: ${r.value?.state ?? `exit ${r.code}`} ${JSON.stringify(r.value?.error ?? '')}`,
      );
    return { job: r.value, seconds: r.seconds };
  }

  /**
   * Waits (bounded) until the server has no queued or running job: a snapshot queues a prune of its VM when it
   * succeeds. Returns { seconds, jobs: the kinds of the jobs that were still going }.
   */
  async function settle(timeoutMs = 300_000) {
    const t0 = performance.now();
    const kinds = new Set();
    await until(
      'the server to finish its queued jobs',
      async () => {
        const busy = ((await cli(['jobs', '--limit', '50'])).value ?? []).filter((j) => !FINAL.has(j.state));
        for (const j of busy) kinds.add(j.kind);
        return busy.length === 0;
      },
      timeoutMs,
    );
    return { seconds: (performance.now() - t0) / 1000, jobs: [...kinds] };
  }

  /** Takes a VM UUID and a capture method (or null: the agent chooses); sets the VM's method as an admin. */
  async function setCaptureMethod(vm, method) {
    await lab.run('storage', [node, SET_METHOD, vm, method ?? 'auto'], { env });
  }

  /** Returns the server's Prometheus counters this benchmark reads: transfer bytes in and out. */
  async function metrics() {
    const r = await lab.run('storage', ['curl', '-sk', `https://${ADDRESSES.storage}:${PORT}/metrics`]);
    const value = (direction) =>
      Number(
        new RegExp(`^vrs_transfer_bytes_total\\{direction="${direction}"\\} (\\S+)`, 'm').exec(r.stdout)?.[1] ?? 0,
      );
    return { in: value('in'), out: value('out') };
  }

  async function stop() {
    await agent.stop('SIGTERM');
    await server.stop('SIGTERM');
  }

  return { cli, job, settle, setCaptureMethod, metrics, events, stop, url, data, env };
}
