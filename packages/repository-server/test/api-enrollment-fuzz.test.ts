import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouterProcedures } from '../src/index.js';
import { connect, failure, type TestClient } from './helpers/api-client.js';
import { type ServerFixture, startServerFixture } from './helpers/server-fixture.js';

let f: ServerFixture;
let anonymous: TestClient;
let admin: TestClient;
let host: TestClient;
const enroll = (token: string) =>
  anonymous.api.agent.enroll.mutate({ token, os: 'linux', agentVersion: '0.1.0', virtualBoxVersion: null });

beforeAll(async () => {
  f = await startServerFixture();
  anonymous = connect(f.url);
  admin = connect(f.url, {
    token: (await anonymous.api.auth.login.mutate({ name: 'admin', password: f.adminPassword })).token,
  });
  const { token } = await admin.api.hosts.createToken.mutate({ name: 'fuzz-host' });
  const enrolled = await enroll(token);
  host = connect(f.url, { host: enrolled.hostId, credential: enrolled.credential });
}, 120_000);
afterAll(async () => {
  for (const c of [anonymous, admin, host]) await c?.close();
  await f?.cleanup();
});

describe('enrollment tokens', () => {
  it('work once: a replay is refused, and the host stays the only one made of it', async () => {
    const { token, command } = await admin.api.hosts.createToken.mutate({ name: 'laptop' });
    expect(command).toBe(
      `vrs-agent enroll --server ${f.server.app.publicUrl} --token ${token} --fingerprint ${f.fingerprint}`,
    );
    await enroll(token);
    expect(await failure(enroll(token))).toMatchObject({
      vrsCode: 'TOKEN_USED',
      hint: expect.stringMatching(/new one/),
    });
    expect((await admin.api.hosts.list.query()).filter((h) => h.name === 'laptop')).toHaveLength(1);
  });

  it('used twice at the same instant, enroll exactly one host', async () => {
    const { token } = await admin.api.hosts.createToken.mutate({ name: 'twins' });
    const results = await Promise.allSettled([enroll(token), enroll(token), enroll(token)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await admin.api.hosts.list.query()).filter((h) => h.name === 'twins')).toHaveLength(1);
  });

  it('are refused once expired', async () => {
    const { token } = await admin.api.hosts.createToken.mutate({ name: 'late', ttlSeconds: 60 });
    await f.server.app.catalog.enrollmentToken.updateMany({
      where: { hostName: 'late' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await failure(enroll(token))).toMatchObject({ vrsCode: 'TOKEN_EXPIRED' });
    expect((await admin.api.hosts.list.query()).some((h) => h.name === 'late')).toBe(false);
  });

  it('that were never issued are refused', async () => {
    expect(await failure(enroll('A'.repeat(43)))).toMatchObject({ vrsCode: 'UNAUTHENTICATED' });
  });

  it('are stored only as hashes', async () => {
    const { token } = await admin.api.hosts.createToken.mutate({ name: 'hashed' });
    const rows = await f.server.app.catalog.enrollmentToken.findMany();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(await f.server.app.catalog.host.findMany())).not.toMatch(/"credential"/);
  });
});

/** Counts the rows of every table: a refused call must leave them as they were. */
async function rowCounts() {
  const c = f.server.app.catalog;
  return Promise.all([
    c.host.count(),
    c.vm.count(),
    c.job.count(),
    c.snapshot.count(),
    c.user.count(),
    c.retentionPolicy.count(),
    c.enrollmentToken.count(),
  ]);
}

describe('every procedure, fed garbage', () => {
  const garbage = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.record({
      vmUuid: fc.string(),
      id: fc.oneof(fc.string(), fc.integer()),
      name: fc.string({ maxLength: 5000 }),
      jobId: fc.constant('not-a-uuid'),
    }),
    fc.string({ minLength: 100_000, maxLength: 200_000 }).map((s) => ({ name: s })),
  );
  const procedures = Object.entries(appRouterProcedures()).filter(([, type]) => type !== 'subscription');

  it.each(procedures)(
    '%s answers a clear error (never an internal one) and changes nothing',
    async (path, type) => {
      const [group, name] = path.split('.') as [string, string];
      for (const client of [admin, host]) {
        const proc = (
          client.api as unknown as Record<string, Record<string, Record<string, (i: unknown) => Promise<unknown>>>>
        )[group]?.[name];
        await fc.assert(
          fc.asyncProperty(garbage, async (value) => {
            const before = await rowCounts();
            const call = type === 'query' ? proc?.query : proc?.mutate;
            const outcome = await (call as (i: unknown) => Promise<unknown>)(value).then(
              () => null,
              (error) => failure(Promise.reject(error)),
            );
            if (outcome === null) return; // garbage that happened to be a valid input
            expect(outcome.vrsCode).not.toBe('INTERNAL');
            expect(outcome.message.length).toBeGreaterThan(0);
            expect(outcome.hint.length).toBeGreaterThan(0);
            if (outcome.vrsCode === 'INVALID_INPUT') expect(await rowCounts()).toEqual(before);
          }),
          { numRuns: 12 },
        );
      }
    },
    120_000,
  );
});

describe('the tRPC socket', () => {
  it('closes a connection that sends a message over the size limit, and the server goes on', async () => {
    const big = connect(f.url, {
      token: (await anonymous.api.auth.login.mutate({ name: 'admin', password: f.adminPassword })).token,
    });
    const error = await big.api.users.add
      .mutate({ name: 'x', role: 'viewer', password: 'p'.repeat(33 * 1024 * 1024) })
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error).toBeInstanceOf(Error);
    await big.close();
    expect((await admin.api.auth.whoami.query()).role).toBe('admin');
    expect((await admin.api.users.list.query()).some((u) => u.name === 'x')).toBe(false);
  }, 60_000);
});
