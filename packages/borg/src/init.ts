import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { borgBinary } from './borg-binary.js';
import { BorgError } from './borg-error.js';
import { makeCommonFlags } from './common-flags.js';
import type { BorgRepo } from './repo.js';
import { repoLocation } from './repo-location.js';
import { runBorg } from './run-borg.js';
import { requireBorg } from './version.js';

/** Options of {@link initRepo}. */
export interface InitOptions {
  /** The only mode vrs uses: the key sits in the repository, sealed by the passphrase. */
  encryption?: 'repokey-blake2';
}

/** Takes a repository and options; returns the argv of `borg init` (pure). Throws INVALID_INPUT for a bad path. */
export function makeInitArgv(repo: BorgRepo, options: InitOptions = {}): string[] {
  return [
    'init',
    ...makeCommonFlags(repo),
    '--encryption',
    options.encryption ?? 'repokey-blake2',
    '--make-parent-dirs',
    repoLocation(repo),
  ];
}

/**
 * Takes a repository and options; makes a random passphrase (32 bytes, base64url), writes it to
 * `repo.passphraseFile` (created exclusively, mode 0600, parent made 0700) and runs `borg init`. A failed init
 * removes the new passphrase file again. Returns nothing. Throws BorgError BORG_VERSION before writing anything
 * when borg is unusable, CONFLICT when the passphrase file or the repository exists, else as {@link runBorg}.
 */
export async function initRepo(repo: BorgRepo, options: InitOptions = {}): Promise<void> {
  const argv = makeInitArgv(repo, options);
  await requireBorg(borgBinary());
  await mkdir(dirname(repo.passphraseFile), { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(32).toString('base64url');
  try {
    await writeFile(repo.passphraseFile, `${passphrase}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new BorgError('CONFLICT', `borg init refused: the passphrase file ${repo.passphraseFile} exists`, {
      command: 'init',
      hint: 'A repository may depend on that file: never overwrite it; pick another path or remove it by hand.',
      cause: error,
    });
  }
  try {
    await runBorg(argv, { command: 'init', repo });
  } catch (error) {
    await unlink(repo.passphraseFile).catch(() => undefined);
    throw error;
  }
}
