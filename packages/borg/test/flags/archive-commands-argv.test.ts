import { describe, expect, it } from 'vitest';
import {
  makeCompactArgv,
  makeDeleteArgv,
  makeExtractArgv,
  makeKeyExportArgv,
  makeRenameArgv,
} from '../../src/index.js';
import { COMMON, codeOf, repo } from './fixture.js';

describe('makeCompactArgv', () => {
  it('compacts the repository', () => {
    expect(makeCompactArgv(repo)).toEqual(['compact', ...COMMON, '/srv/vrs/repos/vm-1']);
  });
});

describe('makeExtractArgv', () => {
  it('extracts the paths with progress', () => {
    expect(makeExtractArgv(repo, 'vm-1-1', { paths: ['vm-1/disk.vdi'] })).toEqual([
      'extract',
      ...COMMON,
      '--progress',
      '/srv/vrs/repos/vm-1::vm-1-1',
      'vm-1/disk.vdi',
    ]);
  });

  it('extracts the whole archive when no path is given', () => {
    expect(makeExtractArgv(repo, 'vm-1-1', { paths: [] }).at(-1)).toBe('/srv/vrs/repos/vm-1::vm-1-1');
  });

  it('refuses a path that looks like an option', () => {
    expect(codeOf(() => makeExtractArgv(repo, 'vm-1-1', { paths: ['-n'] }))).toBe('INVALID_INPUT');
  });
});

describe('makeRenameArgv', () => {
  it('renames REPO::FROM to TO', () => {
    expect(makeRenameArgv(repo, 'vm-1-1', 'vm-1-kept')).toEqual([
      'rename',
      ...COMMON,
      '/srv/vrs/repos/vm-1::vm-1-1',
      'vm-1-kept',
    ]);
  });

  it('refuses a target name borg would read as an option', () => {
    expect(codeOf(() => makeRenameArgv(repo, 'vm-1-1', '--dry-run'))).toBe('INVALID_INPUT');
  });
});

describe('makeDeleteArgv', () => {
  it('deletes one archive', () => {
    expect(makeDeleteArgv(repo, 'vm-1-1')).toEqual(['delete', ...COMMON, '/srv/vrs/repos/vm-1::vm-1-1']);
  });

  it('refuses an empty archive name (it would delete the repository)', () => {
    expect(codeOf(() => makeDeleteArgv(repo, ''))).toBe('INVALID_INPUT');
  });
});

describe('makeKeyExportArgv', () => {
  it('exports the key to stdout', () => {
    expect(makeKeyExportArgv(repo)).toEqual(['key', 'export', ...COMMON, '/srv/vrs/repos/vm-1', '-']);
  });
});
