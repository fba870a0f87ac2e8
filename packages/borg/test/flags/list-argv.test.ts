import { describe, expect, it } from 'vitest';
import { makeListArchivesArgv, makeListFilesArgv } from '../../src/index.js';
import { COMMON, codeOf, repo } from './fixture.js';

describe('makeListArchivesArgv', () => {
  it('lists the repository as JSON with each comment', () => {
    expect(makeListArchivesArgv(repo)).toEqual([
      'list',
      ...COMMON,
      '--json',
      '--format',
      '{comment}',
      '/srv/vrs/repos/vm-1',
    ]);
  });

  it('passes glob as --glob-archives', () => {
    expect(makeListArchivesArgv(repo, { glob: 'vm-1-*' }).slice(-3)).toEqual([
      '--glob-archives',
      'vm-1-*',
      '/srv/vrs/repos/vm-1',
    ]);
  });

  it('doubles braces in the glob', () => {
    expect(makeListArchivesArgv(repo, { glob: 'a{b}*' })).toContain('a{{b}}*');
  });

  it('refuses an empty glob', () => {
    expect(codeOf(() => makeListArchivesArgv(repo, { glob: '' }))).toBe('INVALID_INPUT');
  });
});

describe('makeListFilesArgv', () => {
  it('lists an archive as JSON lines', () => {
    expect(makeListFilesArgv(repo, 'vm-1-1')).toEqual([
      'list',
      ...COMMON,
      '--json-lines',
      '/srv/vrs/repos/vm-1::vm-1-1',
    ]);
  });

  it('appends paths after the location', () => {
    expect(makeListFilesArgv(repo, 'vm-1-1', { paths: ['vm-1/disk.vdi'] }).slice(-2)).toEqual([
      '/srv/vrs/repos/vm-1::vm-1-1',
      'vm-1/disk.vdi',
    ]);
  });
});
