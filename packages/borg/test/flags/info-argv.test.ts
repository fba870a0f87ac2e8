import { describe, expect, it } from 'vitest';
import { makeInfoArgv } from '../../src/index.js';
import { COMMON, repo } from './fixture.js';

describe('makeInfoArgv', () => {
  it('asks for repository info as JSON without an archive', () => {
    expect(makeInfoArgv(repo)).toEqual(['info', ...COMMON, '--json', '/srv/vrs/repos/vm-1']);
  });

  it('asks for archive info as JSON with an archive', () => {
    expect(makeInfoArgv(repo, 'vm-1-1')).toEqual(['info', ...COMMON, '--json', '/srv/vrs/repos/vm-1::vm-1-1']);
  });
});
