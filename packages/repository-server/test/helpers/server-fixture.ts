import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { initDataDir, loadServerConfig, type RunningServer, startServer } from '../../src/index.js';

/** A schedule that never fires: what the fixture's default policy runs on. */
const NEVER = '0 0 30 2 *';

/** A vrs-server on 127.0.0.1 port 0 over a fresh data directory, its log kept in memory. */
export interface ServerFixture {
  dir: string;
  server: RunningServer;
  url: string;
  fingerprint: string;
  adminPassword: string;
  /** Every log line so far (JSON). */
  logs: string[];
  /** Stops the server (the data directory stays). */
  stop(): Promise<void>;
  /** Starts it again on the same data directory (a restart). */
  restart(): Promise<void>;
  /** Stops the server and removes the data directory. */
  cleanup(): Promise<void>;
}

/** Takes config overrides; returns a started server fixture. */
export async function startServerFixture(overrides: Record<string, unknown> = {}): Promise<ServerFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-server-'));
  const { password, fingerprint } = await initDataDir(dir, ['localhost']);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = await loadServerConfig({ cli: { data: dir, listen: '127.0.0.1:0', logLevel: 'debug', ...overrides } });
  const fixture: ServerFixture = {
    dir,
    server: await startServer(config, { logDestination: sink }),
    url: '',
    fingerprint,
    adminPassword: password,
    logs,
    async stop() {
      await fixture.server.stop();
    },
    async restart() {
      fixture.server = await startServer(
        { ...config, listen: `127.0.0.1:${fixture.server.port}` },
        { logDestination: sink },
      );
      fixture.url = fixture.server.url;
    },
    async cleanup() {
      await fixture.server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  fixture.url = fixture.server.url;
  // Tests ask for their jobs themselves: the default schedule never fires (30 February) unless a test sets one.
  await fixture.server.app.catalog.retentionPolicy.update({ where: { name: 'default' }, data: { schedule: NEVER } });
  fixture.server.app.scheduler.refresh();
  return fixture;
}
