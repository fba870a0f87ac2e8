// Regression: `vrs-agent enroll` enrolled the host, wrote the credential, and then kept running for a minute:
// the timer of its 60 s "no answer" timeout was never cleared, and it held the process open.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createEnrollmentToken,
  initDataDir,
  loadServerConfig,
  type RunningServer,
  startServer,
} from '@vrs/repository-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { credentialPath } from '../src/config/credential-file.js';
import { makeTempDir } from './support/temp-dir.js';

const MAIN = new URL('../dist/cli/main.js', import.meta.url).pathname;
const root = makeTempDir('enroll-exits');
let server: RunningServer;
let fingerprint: string;

beforeAll(async () => {
  const data = join(root, 'server');
  fingerprint = (await initDataDir(data, ['localhost'])).fingerprint;
  const config = await loadServerConfig({ cli: { data, listen: '127.0.0.1:0', logLevel: 'warn' } });
  server = await startServer(config);
}, 60_000);
afterAll(async () => server?.stop());

it('vrs-agent enroll exits as soon as the host is enrolled', async () => {
  const { token } = await createEnrollmentToken(server.app.catalog, 'laptop', 600);
  const dir = join(root, 'agent');
  mkdirSync(dir, { mode: 0o700 });
  const child = spawn(
    process.execPath,
    [MAIN, 'enroll', '--server', server.url, '--token', token, '--fingerprint', fingerprint],
    { env: { ...process.env, VRS_AGENT_CONFIG: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exit = await Promise.race([
    new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    new Promise((resolve) => setTimeout(() => resolve('still running after 30 s'), 30_000)),
  ]);
  child.kill('SIGKILL');
  expect(exit, output).toBe(0);
  expect(output).toMatch(/enrolled as laptop/);
  expect(existsSync(credentialPath(dir))).toBe(true);
}, 60_000);
