import { describe, expect, it } from 'vitest';
import { makeCommonFlags } from '../../src/common-flags.js';
import { codeOf, repo } from './fixture.js';

describe('makeCommonFlags', () => {
  it('asks for JSON logs and waits 1 s for the lock by default', () => {
    expect(makeCommonFlags(repo)).toEqual(['--log-json', '--lock-wait', '1']);
  });

  it('passes lockWaitSeconds as --lock-wait', () => {
    expect(makeCommonFlags({ ...repo, lockWaitSeconds: 30 })).toEqual(['--log-json', '--lock-wait', '30']);
  });

  it('passes a lock wait of 0 rather than dropping it', () => {
    expect(makeCommonFlags({ ...repo, lockWaitSeconds: 0 })).toEqual(['--log-json', '--lock-wait', '0']);
  });

  it('refuses a negative or fractional lock wait', () => {
    expect(codeOf(() => makeCommonFlags({ ...repo, lockWaitSeconds: -1 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => makeCommonFlags({ ...repo, lockWaitSeconds: 1.5 }))).toBe('INVALID_INPUT');
  });
});
