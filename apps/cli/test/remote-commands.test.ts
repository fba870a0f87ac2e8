import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, startE2e, waitForVm } from '../../../packages/agent/test/helpers/e2e-fixture.js';

const MAIN = new URL('../dist/main.js', import.meta.url).pathname;
const cliHome = mkdtempSync(join(tmpdir(), 'vrs-cli-home-'));
let e: E2e;

/**
 * Runs `vrs …` as a user would (asynchronously: the server and the agent live in this process); returns its
 * exit status and output (`json()` parses stdout).
 */
function vrs(args: string[], o: { input?: string; asHost?: boolean } = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: {
      ...process.env,
      VRS_CLI_CONFIG: o.asHost ? join(cliHome, 'nobody') : cliHome,
      VRS_AGENT_CONFIG: e.configDir,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(o.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  return new Promise<{
    status: number | null;
    stdout: string;
    stderr: string;
    json: () => ReturnType<typeof JSON.parse>;
  }>((resolve) =>
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, json: () => JSON.parse(stdout) });
    }),
  );
}

beforeAll(async () => {
  e = await startE2e({ writer: 'rate=50,seed=9,blocks=0-7' });
  await e.startAgent();
  await waitForVm(e.admin, e.vm);
}, 180_000);
afterAll(async () => {
  await e?.cleanup();
  rmSync(cliHome, { recursive: true, force: true });
});

describe('the vrs command against a real server and agent', () => {
  it('refuses to log in with a wrong password or without the fingerprint, saying what to do', async () => {
    const wrong = await vrs(['login', '--server', e.server.url, '--fingerprint', e.fingerprint, '--password-stdin'], {
      input: 'not it\n',
    });
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toMatch(/wrong user name or password\n {2}what to do: /);
    const unpinned = await vrs(['login', '--server', 'wss://192.0.2.99:7443', '--password-stdin'], { input: 'x\n' });
    expect(unpinned.status).toBe(3);
    expect(unpinned.stderr).toMatch(/fingerprint/);
  });

  it('logs in, lists hosts and VMs, snapshots with --wait, and lists the snapshot', async () => {
    const admin = await e.server.app.catalog.user.findFirstOrThrow({ where: { name: 'admin' } });
    expect(admin.role).toBe('admin');
    // The fixture's admin password is not kept; give the CLI its own admin.
    const { addUser } = await import('@vrs/repository-server');
    await addUser(e.server.app.catalog, 'ops', 'admin', 'a password for ops');
    const password = 'a password for ops';
    const login = await vrs(
      [
        'login',
        '--server',
        e.server.url,
        '--user',
        'ops',
        '--fingerprint',
        e.fingerprint,
        '--password-stdin',
        '--json',
      ],
      {
        input: `${password}\n`,
      },
    );
    expect(login.status, login.stderr).toBe(0);
    expect(login.json()).toMatchObject({ user: 'ops', role: 'admin' });
    expect((await vrs(['hosts', '--json'])).json()).toEqual([
      expect.objectContaining({ name: 'laptop', online: true }),
    ]);
    const vms = await vrs(['vms']);
    expect(vms.stdout).toMatch(/^NAME +UUID +STATE/m);
    expect(vms.stdout).toContain('Fedora 41');
    const snap = await vrs(['snapshot', 'Fedora 41', '--label', 'from the cli', '--wait', '--json']);
    expect(snap.status, snap.stderr).toBe(0);
    expect(snap.json()).toMatchObject({ kind: 'snapshot', state: 'succeeded', label: 'from the cli' });
    const listed = (await vrs(['snapshots', e.vm, '--json'])).json();
    expect(listed).toEqual([expect.objectContaining({ label: 'from the cli', consistency: 'crash' })]);
    // The snapshot, then the prune the server queued after it, with no host involved. The prune runs after
    // the snapshot's job is over: wait (bounded) until no job is active, then both must have succeeded.
    let jobs: { kind: string; state: string }[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      jobs = (await vrs(['jobs', '--json'])).json() as typeof jobs;
      if (jobs.length === 2 && jobs.every((j) => !['queued', 'running', 'committing'].includes(j.state))) break;
    }
    expect(jobs.map((j) => j.kind).sort()).toEqual(['prune', 'snapshot']);
    expect(jobs.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
  }, 600_000);

  it('pins and unpins a snapshot, shows and sets a policy, and previews a prune', async () => {
    const [snapshot] = (await vrs(['snapshots', 'Fedora 41', '--json'])).json();
    expect((await vrs(['pin', 'Fedora 41', snapshot.id.slice(0, 8), '--json'])).json()).toMatchObject({ pinned: true });
    expect((await vrs(['unpin', 'Fedora 41', 'latest', '--json'])).json()).toMatchObject({ pinned: false });
    expect((await vrs(['policy', 'show', 'Fedora 41'])).stdout).toMatch(
      /policy default \(the default\)\n {2}schedule {5}0 0 30 2 \*/, // the fixture's: never (see NEVER)
    );
    const set = await vrs([
      'policy',
      'set',
      'Fedora 41',
      '--hourly',
      '2',
      '--daily',
      '3',
      '--keep-within',
      'none',
      '--json',
    ]);
    expect(set.status, set.stderr).toBe(0);
    expect(set.json()).toMatchObject({ name: 'vm:Fedora 41', hourly: 2, daily: 3, weekly: 3, keepWithin: null });
    expect((await vrs(['policy', 'show', e.vm, '--json'])).json().policy).toMatchObject({ name: 'vm:Fedora 41' });
    const preview = await vrs(['prune', 'Fedora 41', '--dry-run', '--json']);
    expect(preview.json()).toEqual([expect.objectContaining({ vm: 'Fedora 41', wouldRemove: [], kept: 1 })]);
    const bad = await vrs(['policy', 'set', 'Fedora 41', '--schedule', 'every hour']);
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/cron/);
  });

  it('restores with --power-off --wait, and on the host itself works without a login', async () => {
    const restore = await vrs(['restore', 'Fedora 41', 'latest', '--power-off', '--wait', '--json'], { asHost: true });
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.json()).toMatchObject({ kind: 'restore', state: 'succeeded' });
    // As the host: its own VMs only, and never hosts or deletions.
    expect((await vrs(['vms', '--json'], { asHost: true })).json().map((v: { uuid: string }) => v.uuid)).toEqual([
      e.vm,
    ]);
    const hosts = await vrs(['hosts'], { asHost: true });
    expect(hosts.status).toBe(3);
    expect(hosts.stderr).toMatch(/what to do/);
  }, 600_000);

  it('fails clearly for an unknown VM or snapshot, and exits 2 on a bad command line', async () => {
    expect(await vrs(['snapshots', 'No Such VM'])).toMatchObject({
      status: 3,
      stderr: expect.stringMatching(/no VM named.*\n {2}what to do: List the VMs with `vrs vms`/),
    });
    expect(await vrs(['restore', 'Fedora 41', 'nope'])).toMatchObject({
      status: 3,
      stderr: expect.stringMatching(/no snapshot nope/),
    });
    expect((await vrs(['restore', 'Fedora 41'])).status).toBe(2);
  });
});
