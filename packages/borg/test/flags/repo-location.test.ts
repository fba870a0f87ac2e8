import { describe, expect, it } from 'vitest';
import { checkArchiveName } from '../../src/check-archive-name.js';
import { checkPaths } from '../../src/check-paths.js';
import { escapePlaceholders } from '../../src/escape-placeholders.js';
import { repoLocation } from '../../src/repo-location.js';
import { codeOf, repo } from './fixture.js';

describe('repoLocation', () => {
  it('is the repository path alone without an archive', () => {
    expect(repoLocation(repo)).toBe('/srv/vrs/repos/vm-1');
  });

  it('joins path and archive with ::', () => {
    expect(repoLocation(repo, 'vm-1-2026')).toBe('/srv/vrs/repos/vm-1::vm-1-2026');
  });

  it('doubles braces so borg does not expand {placeholders} in the path', () => {
    expect(repoLocation({ ...repo, path: '/srv/{now}' })).toBe('/srv/{{now}}');
  });

  it('refuses a relative path', () => {
    expect(codeOf(() => repoLocation({ ...repo, path: 'repos/vm-1' }))).toBe('INVALID_INPUT');
  });

  it('refuses a path holding ::', () => {
    expect(codeOf(() => repoLocation({ ...repo, path: '/srv/a::b' }))).toBe('INVALID_INPUT');
  });
});

describe('checkArchiveName', () => {
  it('takes names with dots, dashes, colons, spaces and non-ASCII letters', () => {
    expect(checkArchiveName('vm-1.2026-01-31T12:00:00 é')).toBe('vm-1.2026-01-31T12:00:00 é');
  });

  it.each([
    ['empty', ''],
    ['a slash', 'a/b'],
    ['::', 'a::b'],
    ['a brace', 'a{now}'],
    ['a leading dash', '-x'],
    ['a newline', 'a\nb'],
    ['256 characters', 'x'.repeat(256)],
  ])('refuses a name with %s', (_what, name) => {
    expect(codeOf(() => checkArchiveName(name))).toBe('INVALID_INPUT');
  });
});

describe('checkPaths', () => {
  it('returns the paths as given', () => {
    expect(checkPaths(['vm-1/disk.vdi', 'vm-1/manifest.json'])).toEqual(['vm-1/disk.vdi', 'vm-1/manifest.json']);
  });

  it('refuses a path borg would read as an option', () => {
    expect(codeOf(() => checkPaths(['--remote-path=x']))).toBe('INVALID_INPUT');
  });

  it('refuses an empty path', () => {
    expect(codeOf(() => checkPaths(['']))).toBe('INVALID_INPUT');
  });
});

describe('escapePlaceholders', () => {
  it('doubles every brace and leaves the rest', () => {
    expect(escapePlaceholders('a {hostname} }{ b')).toBe('a {{hostname}} }}{{ b');
  });
});
