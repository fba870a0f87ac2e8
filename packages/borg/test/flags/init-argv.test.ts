import { describe, expect, it } from 'vitest';
import { makeInitArgv } from '../../src/index.js';
import { COMMON, repo } from './fixture.js';

describe('makeInitArgv', () => {
  it('inits with repokey-blake2 and parent directories by default', () => {
    expect(makeInitArgv(repo)).toEqual([
      'init',
      ...COMMON,
      '--encryption',
      'repokey-blake2',
      '--make-parent-dirs',
      '/srv/vrs/repos/vm-1',
    ]);
  });

  it('passes the encryption option as --encryption', () => {
    expect(makeInitArgv(repo, { encryption: 'repokey-blake2' })).toContain('repokey-blake2');
    expect(makeInitArgv(repo, { encryption: 'repokey-blake2' }).indexOf('--encryption')).toBe(4);
  });

  it('never carries the passphrase or its file', () => {
    expect(makeInitArgv(repo).join(' ')).not.toContain('passphrase');
  });
});
