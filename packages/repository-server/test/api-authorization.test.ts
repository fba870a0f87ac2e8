import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, appRouterProcedures } from '../src/index.js';
import { connect, failure, type TestClient } from './helpers/api-client.js';
import { type ServerFixture, startServerFixture } from './helpers/server-fixture.js';

type ActorName = 'anonymous' | 'hostA' | 'hostB' | 'viewer' | 'admin';
const ACTORS: ActorName[] = ['anonymous', 'hostA', 'hostB', 'viewer', 'admin'];
const VM_A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const VM_B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const NOBODY = '99999999-9999-4999-8999-999999999999';

let f: ServerFixture;
const clients = {} as Record<ActorName, TestClient>;
const ids = { hostA: '', hostB: '', jobA: '', snapshotA: '', policy: '', repository: '' };

/** Who may call each procedure: people, admins only, the owning host, any host, anyone. */
const ALLOWED: Record<string, ActorName[]> = {
  'auth.login': ACTORS,
  'auth.logout': ['viewer', 'admin'],
  'auth.whoami': ACTORS,
  'hosts.list': ['viewer', 'admin'],
  'hosts.createToken': ['admin'],
  'hosts.revoke': ['admin'],
  'vms.list': ['hostA', 'hostB', 'viewer', 'admin'],
  'vms.get': ['hostA', 'viewer', 'admin'],
  'vms.setPolicy': ['admin'],
  'vms.setCaptureMethod': ['admin'],
  'vms.prune': ['admin'],
  'snapshots.list': ['hostA', 'viewer', 'admin'],
  'snapshots.get': ['hostA', 'viewer', 'admin'],
  'snapshots.take': ['hostA', 'admin'],
  'snapshots.restore': ['hostA', 'admin'],
  'snapshots.pin': ['admin'],
  'snapshots.unpin': ['admin'],
  'snapshots.delete': ['admin'],
  'jobs.list': ['hostA', 'hostB', 'viewer', 'admin'],
  'jobs.get': ['hostA', 'viewer', 'admin'],
  'jobs.cancel': ['admin'],
  'jobs.watch': ['hostA', 'viewer', 'admin'],
  'policies.list': ['viewer', 'admin'],
  'policies.get': ['viewer', 'admin'],
  'policies.create': ['admin'],
  'policies.update': ['admin'],
  'policies.delete': ['admin'],
  'policies.previewPrune': ['viewer', 'admin'],
  'repository.stats': ['viewer', 'admin'],
  'repository.checks': ['viewer', 'admin'],
  'repository.compact': ['admin'],
  'repository.check': ['admin'],
  'audit.list': ['viewer', 'admin'],
  'users.list': ['admin'],
  'users.add': ['admin'],
  'users.setPassword': ['admin'],
  'users.remove': ['admin'],
  'agent.enroll': ACTORS,
  'agent.inventory': ['hostA', 'hostB'],
  'agent.jobs': ['hostA', 'hostB'],
  'agent.progress': ['hostA'],
  'agent.openSnapshot': ['hostA'],
  'agent.seal': ['hostA'],
  'agent.openRestore': ['hostA'],
  'agent.finishRestore': ['hostA'],
  'agent.fail': ['hostA'],
};

/** A valid input for each procedure, aimed at host A's things; calls that pass authorization change nothing lasting. */
const input = (path: string): unknown => {
  const manifest = 'AAAA';
  const inputs: Record<string, unknown> = {
    'auth.login': { name: 'watcher', password: 'a viewer password' },
    'hosts.createToken': { name: 'matrix' },
    'hosts.revoke': { id: NOBODY },
    'vms.get': { uuid: VM_A },
    'vms.setPolicy': { uuid: NOBODY, policyId: null },
    'vms.setCaptureMethod': { uuid: NOBODY, method: null },
    'vms.prune': { uuid: NOBODY },
    'snapshots.list': { vmUuid: VM_A },
    'snapshots.get': { id: ids.snapshotA },
    'snapshots.take': { vmUuid: VM_A },
    'snapshots.restore': { snapshotId: ids.snapshotA },
    'snapshots.pin': { id: NOBODY },
    'snapshots.unpin': { id: NOBODY },
    'snapshots.delete': { id: NOBODY },
    'jobs.list': {},
    'jobs.get': { id: ids.jobA },
    'jobs.cancel': { id: NOBODY },
    'jobs.watch': { jobId: ids.jobA },
    'policies.get': { id: ids.policy },
    'policies.create': {
      name: 'x',
      schedule: 'not a cron',
      keepWithin: null,
      hourly: 0,
      daily: 0,
      weekly: 0,
      monthly: 0,
      yearly: 0,
      rpoMinutes: 60,
    },
    'policies.update': {
      id: NOBODY,
      name: 'x',
      schedule: '0 * * * *',
      keepWithin: null,
      hourly: 0,
      daily: 0,
      weekly: 0,
      monthly: 0,
      yearly: 0,
      rpoMinutes: 60,
    },
    'policies.delete': { id: NOBODY },
    'policies.previewPrune': { vmUuid: VM_A },
    'repository.checks': {},
    'repository.compact': { repositoryId: NOBODY },
    'repository.check': { repositoryId: NOBODY },
    'audit.list': {},
    'users.add': { name: 'admin', role: 'viewer', password: 'a long enough password' },
    'users.setPassword': { name: 'nobody-here', password: 'a long enough password' },
    'users.remove': { name: 'nobody-here' },
    'agent.enroll': { token: 'not-a-token-but-long-enough', os: 'linux', agentVersion: '0', virtualBoxVersion: null },
    'agent.inventory': { virtualBoxVersion: null, vms: [] },
    'agent.jobs': { running: [] },
    'agent.progress': {
      jobId: ids.jobA,
      progress: {
        phase: 'hashing',
        bytesTotal: 1,
        bytesRead: 0,
        bytesHashed: 0,
        bytesSent: 0,
        bytesPerSecond: 0,
        etaSeconds: null,
      },
    },
    'agent.openSnapshot': { jobId: ids.jobA, files: [VM_A] },
    'agent.seal': {
      jobId: ids.jobA,
      vmName: 'a',
      createdAt: new Date().toISOString(),
      captureMethod: 'offline',
      consistency: 'crash',
      files: [{ uuid: VM_A, role: 'disk', sourcePath: '/x', manifest }],
    },
    'agent.openRestore': { jobId: ids.jobA },
    'agent.finishRestore': { jobId: ids.jobA },
    'agent.fail': { jobId: ids.jobA, error: { code: 'INTERNAL', message: 'matrix' } },
  };
  return inputs[path];
};

/** A refusal because of who is calling (not because of what was asked). */
function isDenied(e: { vrsCode: string; message: string }): boolean {
  if (e.vrsCode === 'FORBIDDEN' || e.vrsCode === 'FORBIDDEN_HOST') return true;
  return e.vrsCode === 'UNAUTHENTICATED' && !/enrollment token|user name or password/.test(e.message);
}

/** Calls a procedure as an actor; returns null on success, else the error. */
async function callAs(actor: ActorName, path: string, type: string) {
  const [group, name] = path.split('.') as [string, string];
  const proc = (
    clients[actor].api as unknown as Record<
      string,
      Record<string, Record<string, (i: unknown, o?: unknown) => unknown>>
    >
  )[group]?.[name];
  if (!proc) throw new Error(`no client method for ${path}`);
  if (type !== 'subscription') {
    const call = type === 'query' ? proc.query : proc.mutate;
    return (call as (i: unknown) => Promise<unknown>)(input(path)).then(
      () => null,
      (error) => failure(Promise.reject(error)),
    );
  }
  return new Promise<Awaited<ReturnType<typeof failure>> | null>((resolve) => {
    const sub = (proc.subscribe as (i: unknown, o: unknown) => { unsubscribe(): void })(input(path), {
      onData: () => {
        sub.unsubscribe();
        resolve(null);
      },
      onError: (error: unknown) => void failure(Promise.reject(error)).then(resolve),
    });
    setTimeout(() => {
      sub.unsubscribe();
      resolve(null);
    }, 1500);
  });
}

beforeAll(async () => {
  f = await startServerFixture();
  clients.anonymous = connect(f.url);
  const login = await clients.anonymous.api.auth.login.mutate({ name: 'admin', password: f.adminPassword });
  clients.admin = connect(f.url, { token: login.token });
  await addUser(f.server.app.catalog, 'watcher', 'viewer', 'a viewer password');
  const viewer = await clients.anonymous.api.auth.login.mutate({ name: 'watcher', password: 'a viewer password' });
  clients.viewer = connect(f.url, { token: viewer.token });
  for (const [actor, vm] of [
    ['hostA', VM_A],
    ['hostB', VM_B],
  ] as const) {
    const { token } = await clients.admin.api.hosts.createToken.mutate({ name: actor });
    const host = await clients.anonymous.api.agent.enroll.mutate({
      token,
      os: 'linux',
      agentVersion: '0.1.0',
      virtualBoxVersion: null,
    });
    ids[actor] = host.hostId;
    clients[actor] = connect(f.url, { host: host.hostId, credential: host.credential });
    const disk = {
      uuid: vm,
      controller: 'SATA',
      port: 0,
      device: 0,
      format: 'VDI' as const,
      path: `/vms/${actor}.vdi`,
      virtualSize: 1,
      chain: [{ uuid: vm, path: `/vms/${actor}.vdi`, format: 'VDI' as const }],
    };
    await clients[actor].api.agent.inventory.mutate({
      virtualBoxVersion: '7.0.14',
      vms: [{ uuid: vm, name: actor, state: 'poweroff', configFile: `/vms/${actor}.vbox`, disks: [disk] }],
    });
  }
  const catalog = f.server.app.catalog;
  const repository = await catalog.repository.findFirstOrThrow({ where: { hostId: ids.hostA } });
  ids.repository = repository.id;
  const snapshot = await catalog.snapshot.create({
    data: {
      archive: `vm-${VM_A}-20261201T000000Z`,
      vmUuid: VM_A,
      hostId: ids.hostA,
      repositoryId: repository.id,
      label: 'a',
      createdAt: new Date(),
    },
  });
  ids.snapshotA = snapshot.id;
  ids.jobA = (await clients.admin.api.snapshots.take.mutate({ vmUuid: VM_A })).id;
  ids.policy = (await catalog.retentionPolicy.findFirstOrThrow()).id;
}, 120_000);
afterAll(async () => {
  for (const c of Object.values(clients)) await c.close();
  await f?.cleanup();
});

describe('the authorization matrix', () => {
  const procedures = appRouterProcedures();

  it('covers every procedure of the router', () => {
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  for (const path of Object.keys(ALLOWED).filter((p) => p !== 'auth.logout')) {
    it(`${path}: allowed for ${ALLOWED[path]?.join(', ')}; refused for the others`, async () => {
      for (const actor of ACTORS) {
        const error = await callAs(actor, path, procedures[path] as string);
        const denied = error !== null && isDenied(error);
        expect(denied, `${actor} → ${path}: ${JSON.stringify(error)}`).toBe(!ALLOWED[path]?.includes(actor));
        if (error) expect(error.vrsCode, `${actor} → ${path}`).not.toBe('INTERNAL');
      }
    });
  }

  it('auth.logout ends only the caller’s session', async () => {
    const login = await clients.anonymous.api.auth.login.mutate({ name: 'watcher', password: 'a viewer password' });
    const session = connect(f.url, { token: login.token });
    await session.api.auth.logout.mutate();
    await session.close();
    const again = connect(f.url, { token: login.token });
    expect(await failure(again.api.hosts.list.query())).toMatchObject({ vrsCode: 'UNAUTHENTICATED' });
    await again.close();
    expect(await clients.viewer.api.hosts.list.query()).toHaveLength(2);
    for (const anonymousOrHost of ['anonymous', 'hostA'] as const) {
      expect(isDenied(await failure(clients[anonymousOrHost].api.auth.logout.mutate()))).toBe(true);
    }
  });

  it('a host sees only its own VMs and jobs', async () => {
    expect((await clients.hostB.api.vms.list.query()).map((v) => v.uuid)).toEqual([VM_B]);
    expect((await clients.hostB.api.jobs.list.query({})).every((j) => j.hostId === ids.hostB)).toBe(true);
    expect((await clients.hostA.api.jobs.list.query({})).map((j) => j.id)).toContain(ids.jobA);
  });

  it('a host cannot take over another host’s VM through its inventory', async () => {
    const stolen = { uuid: VM_A, name: 'mine now', state: 'poweroff' as const, configFile: '/x.vbox', disks: [] };
    expect(await clients.hostB.api.agent.inventory.mutate({ virtualBoxVersion: null, vms: [stolen] })).toEqual({
      accepted: 0,
      refused: [VM_A],
    });
    expect((await clients.admin.api.vms.get.query({ uuid: VM_A })).hostId).toBe(ids.hostA);
  });

  it('audits every mutation with who did it', async () => {
    const entries = await clients.admin.api.audit.list.query({ limit: 500 });
    const actions = new Set(entries.map((e) => e.action));
    for (const action of ['hosts.createToken', 'agent.enroll', 'snapshots.take', 'auth.login', 'auth.logout'])
      expect(actions).toContain(action);
    expect(entries.find((e) => e.action === 'snapshots.take')?.actor).toMatch(/^(user|host):/);
  });

  it('a revoked host is cut off at once and cannot connect again', async () => {
    await clients.admin.api.hosts.revoke.mutate({ id: ids.hostB });
    const error = await failure(clients.hostB.api.vms.list.query());
    expect(['UNAUTHENTICATED', 'FRAME_TRUNCATED', 'INTERNAL'].includes(error.vrsCode) || error.message.length > 0).toBe(
      true,
    );
  });
});
