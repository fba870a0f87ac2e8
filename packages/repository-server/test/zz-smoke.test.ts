import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, failure } from './helpers/api-client.js';
import { type ServerFixture, startServerFixture } from './helpers/server-fixture.js';

let f: ServerFixture;
beforeAll(async () => {
  f = await startServerFixture();
});
afterAll(async () => f?.cleanup());

describe('smoke', () => {
  it('logs in, enrolls, lists', async () => {
    const anon = connect(f.url);
    const login = await anon.api.auth.login.mutate({ name: 'admin', password: f.adminPassword });
    const admin = connect(f.url, { token: login.token });
    expect((await admin.api.auth.whoami.query()).role).toBe('admin');
    const t = await admin.api.hosts.createToken.mutate({ name: 'laptop' });
    console.log(t.command);
    const host = await anon.api.agent.enroll.mutate({
      token: t.token,
      os: 'linux',
      agentVersion: '0.1.0',
      virtualBoxVersion: null,
    });
    console.log(
      await failure(
        anon.api.agent.enroll.mutate({ token: t.token, os: 'linux', agentVersion: '0.1.0', virtualBoxVersion: null }),
      ),
    );
    const h = connect(f.url, { host: host.hostId, credential: host.credential });
    expect(await h.api.vms.list.query()).toEqual([]);
    console.log(await failure(h.api.hosts.list.query()));
    console.log(await admin.api.hosts.list.query());
    await anon.close();
    await admin.close();
    await h.close();
  });
});
