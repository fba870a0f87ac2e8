import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enroll } from '../../../packages/agent/dist/index.js';
import { NEVER, setDefaultSchedule } from '../../../packages/agent/test/helpers/default-schedule.js';
import { borgArchives } from './helpers/borg-archives.js';
import { launchChromium, logIn, openConsole, screenshot } from './helpers/browser.js';
import { type ConsoleFixture, startConsoleFixture } from './helpers/console-fixture.js';
import { forceMutation } from './helpers/force-call.js';
import { recordedProgress, recordJobProgress } from './helpers/job-recorder.js';

// One real system for the whole file: vrs-server serving apps/console/dist, real borg, an agent on the
// VirtualBox double, and Debian's Chromium. The tests run in order and build on each other's snapshots.
const VIEWER_PASSWORD = 'viewer-password-1234';
let f: ConsoleFixture;
let browser: Browser;
let page: Page;

const section = (p: Page, title: string) => p.locator(`section[aria-label="${title}"]`);
const currentJob = (p: Page) => section(p, 'Current job').locator('.job-progress');
const ACTIVE_STATES = ['queued', 'running', 'committing'];

beforeAll(async () => {
  f = await startConsoleFixture();
  // Nothing scheduled may add a snapshot while the tests count them.
  await setDefaultSchedule(f.admin, NEVER);
  await f.admin.users.add.mutate({ name: 'viewer', role: 'viewer', password: VIEWER_PASSWORD });
  browser = await launchChromium();
  page = (await openConsole(browser, f.consoleUrl)).page;
});

// A failure shows what the system was doing: the jobs not finished and the last server and agent log lines.
beforeEach(({ onTestFailed }) => {
  onTestFailed(async () => {
    const active = await f.admin.jobs.list.query({ state: ['queued', 'running', 'committing'] }).catch(() => []);
    console.error(`page: ${page?.url()}\nunfinished jobs: ${JSON.stringify(active, null, 1)}`);
    console.error(f.logs.slice(-40).join('\n'));
  });
});

afterAll(async () => {
  await browser?.close();
  await f?.cleanup();
});

describe('the console against a real server, agent and borg', () => {
  it('logs in: a wrong password shows the message and the hint; then the dashboard shows the host and the VM', async () => {
    await page.getByRole('form', { name: 'Log in' }).waitFor();
    await screenshot(page, 'login');
    await page.getByLabel('Name').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    const refusal = page.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('wrong user name or password');
    expect(await refusal.locator('.error-code').textContent()).toBe('UNAUTHENTICATED');
    expect((await refusal.locator('.error-hint').textContent())?.length).toBeGreaterThan(5);

    await logIn(page, 'admin', f.adminPassword);
    const row = page.locator(`tr[data-vm="${f.vm}"]`);
    await row.waitFor();
    expect(await row.locator('a').textContent()).toBe('Fedora 41');
    expect(await row.locator('[data-rpo]').getAttribute('data-rpo')).toBe('red');
    expect(await row.locator('[data-rpo]').textContent()).toBe('no snapshot yet');
    await expect.poll(() => page.locator('[data-figure="hosts-online"]').textContent()).toBe('1 online');
    expect(await page.locator('.legend').first().textContent()).toContain('amber older than half the RPO');
  });

  it('snapshot now: the VM page shows the job live (phase, rate, ETA) until it succeeded', async () => {
    await page.locator(`tr[data-vm="${f.vm}"] a`).click();
    await page.getByRole('heading', { name: 'VM Fedora 41' }).waitFor();
    await recordJobProgress(page, 'Current job');
    await page.getByRole('button', { name: 'Snapshot now' }).click();
    await currentJob(page).and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: 120_000 });

    const seen = await recordedProgress(page, (await currentJob(page).getAttribute('data-job')) as string);
    const live = seen.filter((s) => ACTIVE_STATES.includes(s.state ?? ''));
    expect(live.map((s) => s.phase)).toContain('queued');
    expect(live.some((s) => s.state === 'running' && s.phase !== 'queued')).toBe(true);
    expect(live.every((s) => s.rate?.startsWith('rate ') && s.eta?.startsWith('ETA '))).toBe(true);
    expect(seen[seen.length - 1]?.state).toBe('succeeded');

    const snapshots = await f.admin.snapshots.list.query({ vmUuid: f.vm });
    expect(snapshots).toHaveLength(1);
    await page.locator(`tr[data-snapshot="${snapshots[0]?.id}"]`).waitFor();
    expect(await page.locator('figure.timeline g[data-snapshot]').count()).toBe(1);
    expect(await page.locator('.facts [data-rpo]').getAttribute('data-rpo')).toBe('green');
  });

  it('a restore the VM state forbids fails, and the Jobs page shows its code, message and hint', async () => {
    const [snapshot] = await f.admin.snapshots.list.query({ vmUuid: f.vm });
    const queued = await f.admin.snapshots.restore.mutate({ snapshotId: snapshot?.id as string, powerOff: false });
    const failed = await f.waitForJob(queued.id);
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('VM_RUNNING');

    await page.getByRole('link', { name: 'Jobs' }).click();
    const row = page.locator(`tr[data-job="${queued.id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('failed');
    expect(await row.locator('.error-code').textContent()).toBe('VM_RUNNING');
    expect(await row.locator('.error-message').textContent()).toBe(failed.error?.message);
    expect(await row.locator('.error-hint').textContent()).toBe(failed.error?.hint);
    expect(failed.error?.hint).toMatch(/power/i);
  });

  it('restore in place: the dialog shows "VM powered off" unmet, powers it off first when asked, then shows progress', async () => {
    await page.goto(`${f.consoleUrl}/vms/${f.vm}`);
    await page.getByRole('button', { name: 'Restore…' }).click();
    const dialog = page.getByRole('dialog');
    const precondition = dialog.locator('[data-precondition="powered-off"]');
    expect(await precondition.getAttribute('data-met')).toBe('no');
    expect(await precondition.textContent()).toContain('not met: the VM is running');
    const confirm = dialog.getByRole('button', { name: 'Restore in place' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Power it off first/).check();
    expect(await confirm.isEnabled()).toBe(true);
    await screenshot(page, 'vm-restore-dialog');

    await recordJobProgress(page, 'Current job');
    await confirm.click();
    await currentJob(page).and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: 120_000 });
    const seen = await recordedProgress(page, (await currentJob(page).getAttribute('data-job')) as string);
    expect(seen.some((s) => s.state === 'running' && s.phase !== 'queued')).toBe(true);
    expect(seen[seen.length - 1]?.state).toBe('succeeded');
    expect(await currentJob(page).locator('strong').first().textContent()).toBe('restore');
    await page.locator('[data-vm-state="poweroff"]').waitFor({ timeout: 30_000 });
    expect((await f.admin.vms.get.query({ uuid: f.vm })).state).toBe('poweroff');
  });

  it('restore as a new VM: the dialog asks for a name, the job runs live, and the host registers the copy', async () => {
    await page.getByRole('button', { name: 'Restore…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/As a new VM/).check();
    expect(await dialog.locator('[data-precondition]').count()).toBe(0);
    await dialog.getByLabel('Name of the new VM').fill('Fedora 41 copy');
    await recordJobProgress(page, 'Current job');
    await dialog.getByRole('button', { name: 'Restore as new VM' }).click();
    await currentJob(page).and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: 120_000 });
    const id = (await currentJob(page).getAttribute('data-job')) as string;
    expect((await recordedProgress(page, id)).some((s) => s.state === 'running')).toBe(true);
    expect(await currentJob(page).locator('strong').first().textContent()).toBe('restore-as-new');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    const copy = page.locator('tr[data-vm]').filter({ hasText: 'Fedora 41 copy' });
    await copy.waitFor({ timeout: 30_000 });
    expect(await copy.locator('[data-rpo]').getAttribute('data-rpo')).toBe('red');
    const vms = await f.admin.vms.list.query();
    expect(vms.map((v) => v.name).sort()).toEqual(['Fedora 41', 'Fedora 41 copy']);
    expect(vms.find((v) => v.name === 'Fedora 41 copy')?.uuid).not.toBe(f.vm);
  });

  it('policies: the prune preview lists exactly the snapshots a new retention removes, and borg agrees after the prune', async () => {
    // Three more snapshots, the first followed live on the dashboard's running jobs.
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.locator('[data-figure="dedup"]').first().waitFor({ timeout: 60_000 });
    const first = await f.admin.snapshots.take.mutate({ vmUuid: f.vm, label: 'before the upgrade' });
    const card = section(page, 'Running jobs').locator(`[data-job="${first.id}"]`);
    await card.and(page.locator('[data-state="running"]')).waitFor({ timeout: 60_000 });
    await screenshot(page, 'dashboard');
    expect((await f.waitForJob(first.id)).state).toBe('succeeded');
    await card.waitFor({ state: 'detached', timeout: 30_000 });
    for (const label of ['after the upgrade', 'tuesday']) {
      const job = await f.admin.snapshots.take.mutate({ vmUuid: f.vm, label });
      expect((await f.waitForJob(job.id)).state).toBe('succeeded');
    }
    await f.waitForIdle();
    const all = await f.admin.snapshots.list.query({ vmUuid: f.vm }); // newest first
    expect(all).toHaveLength(4);
    const [newest, , , oldest] = all;

    // Pin the oldest on the VM page (and pin and unpin another: both are undone exactly).
    await page.goto(`${f.consoleUrl}/vms/${f.vm}`);
    await page.locator(`tr[data-snapshot="${oldest?.id}"]`).getByRole('button', { name: 'Pin', exact: true }).click();
    await page
      .locator(`tr[data-snapshot="${oldest?.id}"]`)
      .getByRole('button', { name: 'Unpin', exact: true })
      .waitFor();
    const second = page.locator(`tr[data-snapshot="${all[1]?.id}"]`);
    await second.getByRole('button', { name: 'Pin', exact: true }).click();
    await second.getByRole('button', { name: 'Unpin', exact: true }).click();
    await second.getByRole('button', { name: 'Pin', exact: true }).waitFor();
    const pinnedNow = (await f.admin.snapshots.list.query({ vmUuid: f.vm })).filter((s) => s.pinned);
    expect(pinnedNow.map((s) => s.id)).toEqual([oldest?.id]);
    expect(pinnedNow[0]?.archive).toMatch(/^pinned-/);
    await page.locator('figure.timeline circle.pin-dot').waitFor();
    await screenshot(page, 'vm');

    // The default policy keeps everything within 2 hours: its preview removes nothing.
    await page.getByRole('link', { name: 'Policies' }).click();
    const preview = page.locator(`[data-preview-vm="${f.vm}"]`);
    await preview.waitFor({ timeout: 60_000 });
    expect(await preview.locator('[data-list="pruned"]').count()).toBe(0);
    expect(await preview.locator('h3').textContent()).toContain('0 would be removed');

    // Keep only the last snapshot of each hour, for one hour: everything else but the pinned one goes.
    await page.getByLabel('Keep within').fill('');
    await page.getByLabel('Hourly').fill('1');
    await page.getByLabel('Daily').fill('0');
    await page.getByLabel('Weekly').fill('0');
    const archives = async (list: string) =>
      (
        await preview
          .locator(`[data-list="${list}"] li`)
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-archive') ?? ''))
      ).sort();
    const retention = { keepWithin: null, hourly: 1, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
    await page.locator(`[data-preview-retention='${JSON.stringify(retention)}']`).waitFor({ timeout: 60_000 });
    const current = await f.admin.snapshots.list.query({ vmUuid: f.vm });
    const expectedPruned = current
      .filter((s) => !s.pinned && s.id !== newest?.id)
      .map((s) => s.archive)
      .sort();
    expect(await archives('pruned')).toEqual(expectedPruned);
    expect(await archives('kept')).toEqual([newest?.archive]);
    expect(await archives('pinned')).toEqual([pinnedNow[0]?.archive]);
    await screenshot(page, 'policies');

    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('[data-saved]').waitFor();
    const saved = (await f.admin.policies.list.query()).find((p) => p.name === 'default');
    expect(saved).toMatchObject(retention);

    await page.getByRole('button', { name: 'Prune Fedora 41 now' }).click();
    await page.locator('.form-actions .job-progress[data-state="succeeded"]').waitFor({ timeout: 120_000 });
    const left = (await f.admin.snapshots.list.query({ vmUuid: f.vm })).map((s) => s.archive).sort();
    const expectedLeft = [newest?.archive, pinnedNow[0]?.archive].sort();
    expect(left).toEqual(expectedLeft);
    expect(await borgArchives(f)).toEqual(expectedLeft);
  });

  it('hosts: a token gives the exact `vrs-agent enroll` line (copied), which enrolls a host; Revoke cuts it off', async () => {
    await page.getByRole('link', { name: 'Hosts' }).click();
    await page.getByLabel('Host name').fill('desk');
    await page.getByRole('button', { name: 'Create enrollment token' }).click();
    const command = (await page.locator('[data-enroll-command] pre').textContent()) ?? '';
    const parts = /^vrs-agent enroll --server (wss:\/\/localhost:(\d+)) --token (\S+) --fingerprint (SHA256:\S+)$/.exec(
      command,
    );
    expect(parts?.[2]).toBe(String(f.server.port));
    expect(parts?.[4]).toBe(f.fingerprint);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
    await screenshot(page, 'hosts');

    // The line's token and fingerprint enroll a host (through 127.0.0.1: the server listens on no other address).
    const desk = await enroll({
      server: f.server.url,
      token: parts?.[3] as string,
      fingerprint: parts?.[4] as string,
      dir: `${f.root}/desk`,
    });
    await page.reload();
    const row = page.locator(`tr[data-host="${desk.hostId}"]`);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked').waitFor();
    const hosts = await f.admin.hosts.list.query();
    expect(hosts.find((h) => h.id === desk.hostId)?.revoked).toBe(true);
    expect(hosts.find((h) => h.id === f.hostId)?.revoked).toBe(false);
  });

  it('repository: usage, "history not recorded yet", check now and compact as live jobs, and the check result', async () => {
    await page.getByRole('link', { name: 'Repository' }).click();
    expect(await page.locator('[data-storage-history]').textContent()).toContain('History not recorded yet');
    const actions = page.locator('[data-repository-actions]').first();
    await actions.waitFor();
    await actions.getByRole('button', { name: 'Check now' }).click();
    await actions.locator('.job-progress[data-state="succeeded"]').waitFor({ timeout: 120_000 });
    await page.locator('tr[data-check][data-ok="yes"]').waitFor();
    await actions.getByRole('button', { name: 'Compact' }).click();
    await actions
      .locator('.job-progress')
      .filter({ hasText: 'compact' })
      .and(page.locator('[data-state="succeeded"]'))
      .waitFor({
        timeout: 120_000,
      });
    const dedup = await page.locator('[data-figure="dedup"]').first().textContent();
    expect(dedup).toMatch(/^\d+\.\d ×$/);
    await screenshot(page, 'repository');
  });

  it('jobs, audit log and users pages show what happened; an admin adds a user', async () => {
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.locator('tr[data-job][data-state="succeeded"]').first().waitFor();
    await page.locator('select[data-filter="job-state"]').selectOption('failed');
    const failed = page.locator('tr[data-job]');
    await expect
      .poll(() => failed.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state'))))
      .toEqual(['failed']);
    expect(await failed.locator('.error-code').textContent()).toBe('VM_RUNNING');
    await screenshot(page, 'jobs');

    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.locator('tr[data-audit]').first().waitFor();
    const actions = await page
      .locator('tr[data-audit]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-audit')));
    for (const action of [
      'snapshots.take',
      'snapshots.restore',
      'snapshots.pin',
      'snapshots.unpin',
      'policies.update',
      'vms.prune',
      'hosts.createToken',
      'hosts.revoke',
      'repository.check',
      'repository.compact',
    ]) {
      expect(actions).toContain(action);
    }
    await screenshot(page, 'audit', 480);

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Name', { exact: true }).fill('operator');
    await page.getByLabel(/^Password/).fill('operator-password-1');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('tr[data-user="operator"]').waitFor();
    await page.locator('tr[data-user="viewer"]').waitFor();
    await screenshot(page, 'users');
  });

  it('a viewer sees every page, finds no control that changes anything, and the server refuses forced calls', async () => {
    const viewer = (await openConsole(browser, f.consoleUrl)).page;
    await logIn(viewer, 'viewer', VIEWER_PASSWORD);
    expect(await viewer.locator('.nav-bar').textContent()).toContain('read-only');
    expect(await viewer.locator('.nav-bar').getByRole('link', { name: 'Users' }).count()).toBe(0);

    // A live job, so that the Jobs page has a running card whose Cancel a viewer must not get.
    const running = await f.admin.snapshots.take.mutate({ vmUuid: f.vm, label: 'while the viewer looks' });
    const pages: [string, string][] = [
      ['/jobs', `[data-job="${running.id}"]`],
      ['/', `tr[data-vm="${f.vm}"]`],
      [`/vms/${f.vm}`, 'tr[data-snapshot]'],
      ['/policies', `[data-preview-vm="${f.vm}"]`],
      ['/hosts', `tr[data-host="${f.hostId}"]`],
      ['/repository', 'tr[data-check]'],
      ['/audit', 'tr[data-audit]'],
      ['/users', 'text=Only admins see and manage users.'],
    ];
    const harmless = new Set(['Log out', 'Newer', 'Older', 'dismiss', 'default']);
    for (const [path, marker] of pages) {
      await viewer.goto(`${f.consoleUrl}${path}`);
      await viewer.locator(marker).first().waitFor({ timeout: 60_000 });
      expect(await viewer.locator('[data-mutation]').count(), `mutation controls on ${path}`).toBe(0);
      const buttons = await viewer
        .locator('button:enabled')
        .evaluateAll((els) => els.map((e) => (e.textContent ?? '').trim()));
      expect(
        buttons.filter((b) => !harmless.has(b)),
        `enabled buttons on ${path}`,
      ).toEqual([]);
      // Filters only choose what is shown.
      const inputs = viewer.locator('input:enabled, select:enabled:not([data-filter]), textarea:enabled');
      expect(await inputs.count(), `inputs on ${path}`).toBe(0);
      if (path === '/') {
        await viewer.locator('[data-figure="dedup"]').first().waitFor({ timeout: 60_000 });
        await screenshot(viewer, 'viewer-dashboard');
      }
    }
    expect((await f.waitForJob(running.id)).state).toBe('succeeded');
    await f.waitForIdle();

    const snapshots = await f.admin.snapshots.list.query({ vmUuid: f.vm });
    const policy = (await f.admin.policies.list.query()).find((p) => p.name === 'default');
    const jobsBefore = (await f.admin.jobs.list.query({ limit: 500 })).length;
    const pinned = snapshots.find((s) => s.pinned);
    const forced: [string, unknown][] = [
      ['snapshots.take', { vmUuid: f.vm }],
      ['snapshots.restore', { snapshotId: snapshots[0]?.id, powerOff: true }],
      ['snapshots.pin', { id: snapshots[0]?.id }],
      ['snapshots.unpin', { id: pinned?.id }],
      ['snapshots.delete', { id: snapshots[0]?.id }],
      ['policies.update', { ...policy, vms: undefined, hourly: 0 }],
      ['vms.setPolicy', { uuid: f.vm, policyId: null }],
      ['vms.prune', { uuid: f.vm }],
      ['hosts.createToken', { name: 'intruder' }],
      ['hosts.revoke', { id: f.hostId }],
      ['repository.compact', { repositoryId: (await f.server.app.catalog.repository.findFirst())?.id }],
      ['users.add', { name: 'mallory', role: 'admin', password: 'mallory-password-1' }],
      ['jobs.cancel', { id: running.id }],
    ];
    for (const [path, input] of forced) {
      const answer = await forceMutation(viewer, path, input);
      expect(answer, path).toMatchObject({ ok: false, vrsCode: 'FORBIDDEN' });
    }
    // Nothing changed.
    expect(await f.admin.snapshots.list.query({ vmUuid: f.vm })).toEqual(snapshots);
    expect((await f.admin.policies.list.query()).find((p) => p.name === 'default')).toEqual(policy);
    expect((await f.admin.jobs.list.query({ limit: 500 })).length).toBe(jobsBefore);
    expect((await f.admin.hosts.list.query()).find((h) => h.id === f.hostId)?.revoked).toBe(false);
    expect((await f.admin.users.list.query()).map((u) => u.name)).not.toContain('mallory');
  });
});
