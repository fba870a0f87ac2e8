import { describe, expect, it } from 'vitest';
import { makeBorgEnv, maskArgv } from '../src/index.js';

const repo = { path: '/r', passphraseFile: '/p', cacheDir: '/c', baseDir: '/b' };
const parent = {
  PATH: '/usr/bin',
  HOME: '/root',
  BORG_PASSPHRASE: 'leaked',
  BORG_PASSCOMMAND: 'cat /x',
  BORG_EXIT_CODES: 'modern',
  BORG_REPO: '/elsewhere',
  LC_ALL: 'de_DE.UTF-8',
  LANG: 'de_DE.UTF-8',
};

describe('makeBorgEnv', () => {
  it('keeps ordinary variables and drops every inherited BORG_ and locale variable', () => {
    const env = makeBorgEnv(repo, {}, parent);
    expect(env.PATH).toBe('/usr/bin');
    expect(env.HOME).toBe('/root');
    for (const key of ['BORG_PASSPHRASE', 'BORG_PASSCOMMAND', 'BORG_EXIT_CODES', 'BORG_REPO', 'LC_ALL']) {
      expect(env, key).not.toHaveProperty(key);
    }
    expect(env.LANG).toBe('C');
  });

  it('reads the passphrase from fd 3 and answers every prompt no', () => {
    expect(makeBorgEnv(repo, {}, {})).toMatchObject({
      BORG_PASSPHRASE_FD: '3',
      BORG_DISPLAY_PASSPHRASE: 'no',
      BORG_RELOCATED_REPO_ACCESS_IS_OK: 'no',
      BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'no',
    });
  });

  it('sets the cache and base directories of the repository', () => {
    expect(makeBorgEnv(repo, {}, {})).toMatchObject({ BORG_CACHE_DIR: '/c', BORG_BASE_DIR: '/b' });
    expect(makeBorgEnv({ path: '/r', passphraseFile: '/p' }, {}, {})).not.toHaveProperty('BORG_CACHE_DIR');
  });

  it('adds the extra variables', () => {
    expect(makeBorgEnv(repo, { BORG_FILES_CACHE_SUFFIX: 'vm-1' }, {}).BORG_FILES_CACHE_SUFFIX).toBe('vm-1');
  });
});

describe('maskArgv', () => {
  it('masks URL credentials and passphrase assignments, and leaves the rest', () => {
    expect(maskArgv(['borg', 'list', 'ssh://u:s3cret@host/repo', 'BORG_PASSPHRASE=x', '/plain'])).toEqual([
      'borg',
      'list',
      'ssh://u:***@host/repo',
      'BORG_PASSPHRASE=***',
      '/plain',
    ]);
  });
});
