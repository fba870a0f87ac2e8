import { describe, expect, it } from 'vitest';
import { makePruneArgv } from '../../src/index.js';
import { COMMON, codeOf, repo } from './fixture.js';

const LOCATION = '/srv/vrs/repos/vm-1';
const head = ['prune', ...COMMON, '--list', '--glob-archives', 'vm-1-*'];

describe('makePruneArgv', () => {
  it('passes keepWithin as --keep-within', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', keepWithin: '2H' })).toEqual([
      ...head,
      '--keep-within',
      '2H',
      LOCATION,
    ]);
  });

  it('passes hourly as --keep-hourly', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', hourly: 8 })).toEqual([...head, '--keep-hourly', '8', LOCATION]);
  });

  it('passes daily as --keep-daily', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', daily: 7 })).toEqual([...head, '--keep-daily', '7', LOCATION]);
  });

  it('passes weekly as --keep-weekly', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', weekly: 3 })).toEqual([...head, '--keep-weekly', '3', LOCATION]);
  });

  it('passes monthly as --keep-monthly', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', monthly: 6 })).toEqual([...head, '--keep-monthly', '6', LOCATION]);
  });

  it('passes yearly as --keep-yearly', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', yearly: 1 })).toEqual([...head, '--keep-yearly', '1', LOCATION]);
  });

  it('passes dryRun as --dry-run after --list', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', daily: 1, dryRun: true })).toEqual([
      'prune',
      ...COMMON,
      '--list',
      '--dry-run',
      '--glob-archives',
      'vm-1-*',
      '--keep-daily',
      '1',
      LOCATION,
    ]);
  });

  it('leaves out a count of 0 and a null keepWithin', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', keepWithin: null, hourly: 0, daily: 2 })).toEqual([
      ...head,
      '--keep-daily',
      '2',
      LOCATION,
    ]);
  });

  it('passes the seed retention in borg order', () => {
    expect(makePruneArgv(repo, { glob: 'vm-1-*', keepWithin: '2H', hourly: 8, daily: 7, weekly: 3 })).toEqual([
      ...head,
      '--keep-within',
      '2H',
      '--keep-hourly',
      '8',
      '--keep-daily',
      '7',
      '--keep-weekly',
      '3',
      LOCATION,
    ]);
  });

  it('doubles braces in the glob', () => {
    expect(makePruneArgv(repo, { glob: '{x}-*', daily: 1 })).toContain('{{x}}-*');
  });

  it('refuses a call with no keep rule (borg would delete every match)', () => {
    expect(codeOf(() => makePruneArgv(repo, { glob: 'vm-1-*' }))).toBe('INVALID_INPUT');
  });

  it('refuses a call whose rules are all 0 or null', () => {
    const none = { glob: 'vm-1-*', keepWithin: null, hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
    expect(codeOf(() => makePruneArgv(repo, none))).toBe('INVALID_INPUT');
  });

  it('refuses a keepWithin borg would not take', () => {
    expect(codeOf(() => makePruneArgv(repo, { glob: 'vm-1-*', keepWithin: '2 hours' }))).toBe('INVALID_INPUT');
  });

  it('refuses a negative or fractional count', () => {
    expect(codeOf(() => makePruneArgv(repo, { glob: 'vm-1-*', daily: -1 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => makePruneArgv(repo, { glob: 'vm-1-*', daily: 1.5 }))).toBe('INVALID_INPUT');
  });

  it('refuses an empty glob', () => {
    expect(codeOf(() => makePruneArgv(repo, { glob: '', daily: 1 }))).toBe('INVALID_INPUT');
  });
});
