import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FINGERPRINT_PATTERN, VrsError } from '@vrs/protocol';
import envPaths from 'env-paths';
import { z } from 'zod';
import { cliEnv } from '../env.js';

/** What `vrs login` keeps: where the server is, its pinned certificate, and the bearer token (secret). */
export const CliLogin = z.object({
  server: z.string().regex(/^wss:\/\/[^\s/]+$/),
  fingerprint: z.string().regex(FINGERPRINT_PATTERN),
  user: z.string().min(1).max(64),
  role: z.enum(['admin', 'viewer']),
  token: z.string().min(16).max(200),
  expiresAt: z.string(),
});
export type CliLogin = z.infer<typeof CliLogin>;

/** Returns the directory of the CLI's login: `VRS_CLI_CONFIG`, else the OS's config directory for `vrs`. */
export function cliConfigDir(): string {
  return cliEnv.configDir || envPaths('vrs', { suffix: '' }).config;
}

/** Returns the stored login, or null when there is none (or it is damaged: then `vrs login` again). */
export async function readCliLogin(): Promise<CliLogin | null> {
  const text = await readFile(join(cliConfigDir(), 'login.json'), 'utf8').catch(() => null);
  if (!text) return null;
  try {
    const parsed = CliLogin.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Takes a login; stores it atomically, mode 0600 in a 0700 directory. */
export async function writeCliLogin(login: CliLogin): Promise<string> {
  const dir = cliConfigDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const path = join(dir, 'login.json');
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(CliLogin.parse(login), null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
  return path;
}

/** Removes the stored login. */
export async function removeCliLogin(): Promise<void> {
  await rm(join(cliConfigDir(), 'login.json'), { force: true });
}

/** The error for commands that need a login. */
export function notLoggedIn(): VrsError {
  return new VrsError('UNAUTHENTICATED', 'not logged in to a vrs server', {
    hint: 'Run `vrs login --server wss://HOST:PORT --fingerprint SHA256:…` (or run it on an enrolled host).',
  });
}
