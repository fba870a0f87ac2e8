import { describe, expect, it } from 'vitest';
import { makeCheckArgv } from '../../src/index.js';
import { COMMON, codeOf, repo } from './fixture.js';

const LOCATION = '/srv/vrs/repos/vm-1';

describe('makeCheckArgv', () => {
  it('checks repository and archives by default', () => {
    expect(makeCheckArgv(repo)).toEqual(['check', ...COMMON, LOCATION]);
  });

  it('passes repositoryOnly as --repository-only', () => {
    expect(makeCheckArgv(repo, { repositoryOnly: true })).toEqual(['check', ...COMMON, '--repository-only', LOCATION]);
  });

  it('passes verifyData as --verify-data', () => {
    expect(makeCheckArgv(repo, { verifyData: true })).toEqual(['check', ...COMMON, '--verify-data', LOCATION]);
  });

  it('passes glob as --glob-archives', () => {
    expect(makeCheckArgv(repo, { glob: 'vm-1-*' })).toEqual([
      'check',
      ...COMMON,
      '--glob-archives',
      'vm-1-*',
      LOCATION,
    ]);
  });

  it('passes first as --first', () => {
    expect(makeCheckArgv(repo, { first: 2 })).toEqual(['check', ...COMMON, '--first', '2', LOCATION]);
  });

  it('passes last as --last', () => {
    expect(makeCheckArgv(repo, { last: 3 })).toEqual(['check', ...COMMON, '--last', '3', LOCATION]);
  });

  it('refuses repositoryOnly with an archive option', () => {
    expect(codeOf(() => makeCheckArgv(repo, { repositoryOnly: true, verifyData: true }))).toBe('INVALID_INPUT');
    expect(codeOf(() => makeCheckArgv(repo, { repositoryOnly: true, last: 1 }))).toBe('INVALID_INPUT');
  });

  it('refuses first together with last', () => {
    expect(codeOf(() => makeCheckArgv(repo, { first: 1, last: 1 }))).toBe('INVALID_INPUT');
  });

  it('refuses a count below 1', () => {
    expect(codeOf(() => makeCheckArgv(repo, { last: 0 }))).toBe('INVALID_INPUT');
  });
});
