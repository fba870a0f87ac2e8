import { createServer, type Server } from 'node:http';
import { get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollLaptopWithVm, type TestClient } from './helpers/api-client.js';
import { type ServerFixture, startServerFixture } from './helpers/server-fixture.js';

const VM = 'eeeeeeee-0000-4000-8000-00000000000e';
let f: ServerFixture;
let admin: TestClient;
let hook: Server;
const received: Record<string, unknown>[] = [];

/** GETs a path of the server over https (its certificate is self-signed); returns status and body. */
function fetchPath(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`https://127.0.0.1:${f.server.port}${path}`, { rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  f = await startServerFixture({ webhook: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/vrs` });
  ({ admin } = await enrollLaptopWithVm(f.url, f.adminPassword, {
    uuid: VM,
    name: 'Windows 11',
    state: 'running',
    configFile: '/v/w.vbox',
  }));
}, 120_000);
afterAll(async () => {
  await admin?.close();
  await f?.cleanup();
  await new Promise((resolve) => hook.close(resolve));
});

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

describe('observability', () => {
  it('answers /healthz and exposes Prometheus metrics at /metrics', async () => {
    expect(await fetchPath('/healthz')).toMatchObject({ status: 200, body: expect.stringContaining('"status":"ok"') });
    const metrics = await fetchPath('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^# HELP vrs_jobs_finished_total/m);
    expect(metrics.body).toMatch(/^vrs_hosts_online 0$/m);
    expect(metrics.body).toMatch(/^vrs_server_process_cpu_seconds_total/m);
  });

  it('posts to the webhook when a job fails, with the reason', async () => {
    const repository = (await admin.api.repository.stats.query()).repositories[0];
    // A repository whose borg files vanished: the check job fails.
    await f.server.app.catalog.repository.update({ where: { id: repository?.id }, data: { path: `${f.dir}/gone` } });
    const job = await admin.api.repository.check.mutate({ repositoryId: repository?.id as string });
    await until(() => received.some((n) => n.event === 'job.failed'));
    expect(received.find((n) => n.event === 'job.failed')).toMatchObject({
      event: 'job.failed',
      jobId: job.id,
      kind: 'check',
      code: 'REPO_NOT_FOUND',
      source: 'vrs-server',
    });
    const metrics = await fetchPath('/metrics');
    expect(metrics.body).toMatch(/^vrs_jobs_finished_total\{kind="check",state="failed"\} 1$/m);
  });

  it('posts once when a VM misses its RPO, not at every look of the watch', async () => {
    await f.server.app.catalog.vm.update({
      where: { id: VM },
      data: { lastSnapshotAt: new Date(Date.now() - 5 * 3600_000) },
    });
    await f.server.app.scheduler.watchRpo();
    await f.server.app.scheduler.watchRpo();
    await until(() => received.some((n) => n.event === 'rpo.missed'));
    expect(received.filter((n) => n.event === 'rpo.missed')).toEqual([
      expect.objectContaining({ event: 'rpo.missed', vmUuid: VM, vmName: 'Windows 11', rpoMinutes: 120 }),
    ]);
    expect((await admin.api.vms.get.query({ uuid: VM })).protection).toBe('late');
    expect((await fetchPath('/metrics')).body).toMatch(new RegExp(`^vrs_vm_rpo_late\\{vm="${VM}"\\} 1$`, 'm'));
  });
});
