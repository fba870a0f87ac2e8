// Regressions found by the lab fault tests (infra/lab/test/faults-server-kill), each after vrs-server was
// killed while hosts worked:
// - a snapshot job failed JOB_CANCELLED ("queued, not running") although its host was still working on it: the
//   restart had queued it again, and the agent's next call came in before its reconnect said so;
// - a prune job failed INTERNAL ("Cannot read properties of null (reading 'runServerJob')"): finishing a job
//   during the recovery at start dispatched the queue before the server jobs' executor was there.
import { emptyProgress } from '@vrs/protocol';
import { pino } from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AgentHub } from '../../src/agents/agent-hub.js';
import { JobEvents } from '../../src/jobs/job-events.js';
import { JobService } from '../../src/jobs/job-service.js';
import { makeCatalog } from '../helpers/catalog-fixture.js';

let c: Awaited<ReturnType<typeof makeCatalog>>;
let jobs: JobService;
const HOST = '11111111-2222-4333-8444-555555555555';
const VM = 'aaaaaaaa-0000-4000-8000-000000000001';
const PROGRESS = JSON.stringify(emptyProgress('transferring'));

beforeEach(async () => {
  c = await makeCatalog();
  await c.catalog.host.create({
    data: { id: HOST, name: 'laptop', os: 'linux', agentVersion: '0', credentialHash: 'x' },
  });
  jobs = new JobService(c.catalog, new AgentHub(), new JobEvents(), pino({ level: 'silent' }));
});
afterEach(async () => {
  jobs.stop();
  await c.cleanup();
});

it('a job queued again at start runs again when its host calls for it; one waiting out a backoff does not', async () => {
  const handedOut = await c.catalog.job.create({
    data: { kind: 'snapshot', state: 'running', hostId: HOST, vmUuid: VM, progress: PROGRESS, attempts: 1 },
  });
  await c.catalog.job.update({ where: { id: handedOut.id }, data: { startedAt: new Date() } });
  await jobs.recoverAtStart(new Set());
  expect((await jobs.get(handedOut.id)).state).toBe('queued');
  const resumed = await jobs.resumedByHost(HOST, handedOut.id);
  expect(resumed).toMatchObject({ state: 'running', attempts: 1 });

  const backingOff = await c.catalog.job.create({
    data: {
      kind: 'restore',
      state: 'queued',
      hostId: HOST,
      vmUuid: 'bbbbbbbb-0000-4000-8000-000000000002',
      progress: PROGRESS,
      attempts: 1,
      startedAt: new Date(),
      runAfter: new Date(Date.now() + 60_000),
    },
  });
  expect((await jobs.resumedByHost(HOST, backingOff.id)).state).toBe('queued');
  await expect(jobs.resumedByHost('99999999-2222-4333-8444-555555555555', handedOut.id)).rejects.toMatchObject({
    code: 'FORBIDDEN_HOST',
  });
});

it('hands out no server job before it is started, and runs it once started', async () => {
  const repository = await c.catalog.repository.create({ data: { name: 'r', path: '/r', passphraseFile: '/p' } });
  const job = await jobs.create({
    kind: 'compact',
    hostId: null,
    vmUuid: null,
    repositoryId: repository.id,
    requestedBy: 'system',
  });
  await jobs.dispatch();
  expect((await jobs.get(job.id)).state).toBe('queued');
  let ran = 0;
  jobs.start({
    runServerJob: async () => {
      ran++;
      return undefined;
    },
  });
  await jobs.dispatch();
  for (let i = 0; i < 200 && (await jobs.get(job.id)).state !== 'succeeded'; i++)
    await new Promise((r) => setTimeout(r, 25));
  expect((await jobs.get(job.id)).state).toBe('succeeded');
  expect(ran).toBe(1);
});
