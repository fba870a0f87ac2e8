import { BorgError } from '@vrs/borg';
import { emptyProgress } from '@vrs/protocol';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentHub } from '../src/agents/agent-hub.js';
import { JobEvents } from '../src/jobs/job-events.js';
import { JobService } from '../src/jobs/job-service.js';
import { makeCatalog } from './helpers/catalog-fixture.js';

let c: Awaited<ReturnType<typeof makeCatalog>>;
let jobs: JobService;
let hub: AgentHub;
const finals: string[] = [];
const HOST = '11111111-2222-4333-8444-555555555555';
const VM = 'aaaaaaaa-0000-4000-8000-000000000001';
const PROGRESS = JSON.stringify(emptyProgress('transferring'));

beforeEach(async () => {
  c = await makeCatalog();
  await c.catalog.host.create({
    data: { id: HOST, name: 'laptop', os: 'linux', agentVersion: '0', credentialHash: 'x' },
  });
  hub = new AgentHub();
  jobs = new JobService(c.catalog, hub, new JobEvents(), pino({ level: 'silent' }), (job) =>
    finals.push(`${job.kind}:${job.state}`),
  );
});
afterEach(async () => {
  jobs.stop();
  await c.cleanup();
});

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}

describe('the job queue', () => {
  it('retries a job whose cause may pass, with a growing backoff, then fails it with the reason', async () => {
    let calls = 0;
    jobs.start({
      runServerJob: async () => {
        calls++;
        throw new BorgError('REPO_LOCKED', 'Failed to create/acquire the lock', { command: 'compact' });
      },
    });
    const repository = await c.catalog.repository.create({ data: { name: 'r', path: '/r', passphraseFile: '/p' } });
    const job = await jobs.create({
      kind: 'compact',
      hostId: null,
      vmUuid: null,
      repositoryId: repository.id,
      requestedBy: 'system',
    });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const row = await until(async () => {
        const r = await c.catalog.job.findUniqueOrThrow({ where: { id: job.id } });
        return r.attempts === attempt && r.state !== 'running' ? r : undefined;
      });
      if (attempt < 5) {
        expect(row.state).toBe('queued');
        waits.push((row.runAfter as Date).getTime() - Date.now());
        // Skip the wait: make the backoff end now.
        await c.catalog.job.update({ where: { id: job.id }, data: { runAfter: new Date() } });
        await jobs.dispatch();
      } else {
        expect(row.state).toBe('failed');
        expect(JSON.parse(row.error as string)).toMatchObject({
          code: 'REPO_LOCKED',
          hint: expect.stringMatching(/retries/),
        });
      }
    }
    expect(calls).toBe(5);
    // 10 s, 20 s, 40 s, 80 s (minus the time the test took).
    expect(waits.map((w) => Math.round(w / 10_000) * 10)).toEqual([10, 20, 40, 80]);
    expect(finals).toContain('compact:failed');
  });

  it('keeps a host job queued while its host is offline and hands it out when the host connects', async () => {
    jobs.start({ runServerJob: async () => undefined });
    const job = await jobs.create({
      kind: 'snapshot',
      hostId: HOST,
      vmUuid: VM,
      requestedBy: 'system',
      params: { label: 'nightly' },
    });
    await jobs.dispatch();
    expect((await jobs.get(job.id)).state).toBe('queued');
    const controller = new AbortController();
    const channel = hub.attach(HOST, controller.signal);
    await jobs.hostConnected(HOST, []);
    const first = await channel[Symbol.asyncIterator]().next();
    expect(first.value).toMatchObject({
      type: 'job',
      job: { id: job.id, kind: 'snapshot', label: 'nightly', attempt: 1 },
    });
    expect((await jobs.get(job.id)).state).toBe('running');
    controller.abort();
  });

  it('refuses a second job for a VM that has one, unless the scheduler coalesces it', async () => {
    const first = await jobs.create({ kind: 'snapshot', hostId: HOST, vmUuid: VM, requestedBy: 'system' });
    await expect(
      jobs.create({ kind: 'restore', hostId: HOST, vmUuid: VM, requestedBy: 'system' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(
      (await jobs.create({ kind: 'snapshot', hostId: HOST, vmUuid: VM, requestedBy: 'system' }, { coalesce: true })).id,
    ).toBe(first.id);
  });

  it('ends a job with the last progress its host reported, also one reported within a second of the previous', async () => {
    const running = await c.catalog.job.create({
      data: { kind: 'snapshot', state: 'running', hostId: HOST, vmUuid: VM, progress: PROGRESS, attempts: 1 },
    });
    const at = (bytesSent: number, phase: 'transferring' | 'committing') => ({
      ...emptyProgress(phase),
      bytesTotal: 64 << 20,
      bytesRead: 64 << 20,
      bytesHashed: 64 << 20,
      bytesSent,
    });
    await jobs.progress(HOST, running.id, at(1 << 20, 'transferring'));
    await jobs.progress(HOST, running.id, at(5 << 20, 'committing')); // well within the second: not written yet
    expect((await jobs.get(running.id)).progress).toContain(`"bytesSent":${1 << 20}`);
    await jobs.setState(running.id, 'committing');
    expect((await jobs.get(running.id)).progress).toContain(`"bytesSent":${5 << 20}`);
    const done = await jobs.succeed(running.id);
    expect(done.progress).toMatchObject({ phase: 'done', bytesTotal: 64 << 20, bytesSent: 5 << 20, etaSeconds: 0 });
    expect(JSON.parse((await jobs.get(running.id)).progress as string)).toEqual(done.progress);
  });

  it('after a restart, resumes what was running and leaves committed snapshots to be archived', async () => {
    const running = await c.catalog.job.create({
      data: { kind: 'restore', state: 'running', hostId: HOST, vmUuid: VM, progress: PROGRESS, attempts: 1 },
    });
    const sealed = await c.catalog.job.create({
      data: {
        kind: 'snapshot',
        state: 'committing',
        hostId: HOST,
        vmUuid: VM,
        progress: PROGRESS,
        attempts: 1,
        params: '{"mirrorCommitted":true}',
      },
    });
    const staged = await c.catalog.job.create({
      data: {
        kind: 'snapshot',
        state: 'committing',
        hostId: HOST,
        vmUuid: 'bbbbbbbb-0000-4000-8000-000000000002',
        progress: PROGRESS,
        attempts: 1,
      },
    });
    const finished = await c.catalog.job.create({
      data: {
        kind: 'snapshot',
        state: 'running',
        hostId: HOST,
        vmUuid: 'cccccccc-0000-4000-8000-000000000003',
        progress: PROGRESS,
        attempts: 1,
      },
    });
    const toArchive = await jobs.recoverAtStart(new Set([finished.id]));
    expect(toArchive.map((j) => j.id).sort()).toEqual([sealed.id, finished.id].sort());
    expect((await jobs.get(running.id)).state).toBe('queued');
    expect((await jobs.get(staged.id)).state).toBe('queued');
    expect((await jobs.get(finished.id)).state).toBe('committing');
  });

  it('cancels a running host job and tells its host', async () => {
    jobs.start({ runServerJob: async () => undefined });
    const controller = new AbortController();
    const channel = hub.attach(HOST, controller.signal)[Symbol.asyncIterator]();
    const job = await jobs.create({ kind: 'snapshot', hostId: HOST, vmUuid: VM, requestedBy: 'system' });
    await jobs.dispatch();
    expect((await channel.next()).value).toMatchObject({ type: 'job' });
    await jobs.cancel(job.id);
    expect((await channel.next()).value).toEqual({ type: 'cancel', jobId: job.id });
    expect((await jobs.get(job.id)).state).toBe('cancelled');
    await expect(jobs.fail(job.id, { code: 'INTERNAL', message: 'late' })).rejects.toMatchObject({ code: 'CONFLICT' });
    controller.abort();
  });
});
