import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ConsoleFixture } from './console-fixture.js';

const run = promisify(execFile);

/**
 * Takes the fixture; returns the archive names real borg lists in the host's repository (`borg list --json`),
 * with the server's borg base and cache directories and its passphrase file (read by BORG_PASSCOMMAND).
 */
export async function borgArchives(f: ConsoleFixture): Promise<string[]> {
  const repo = await f.server.app.catalog.repository.findFirst({ where: { hostId: f.hostId } });
  if (!repo) throw new Error(`host ${f.hostId} has no repository`);
  const { stdout } = await run('borg', ['list', '--json', repo.path], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C',
      BORG_PASSCOMMAND: `cat ${repo.passphraseFile}`,
      BORG_BASE_DIR: f.server.app.paths.borgBase,
      BORG_CACHE_DIR: f.server.app.paths.borgCache,
    },
  });
  return (JSON.parse(stdout) as { archives: { name: string }[] }).archives.map((a) => a.name).sort();
}
