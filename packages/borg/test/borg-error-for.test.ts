import { VrsError } from '@vrs/protocol';
import { describe, expect, it } from 'vitest';
import { BorgError, type BorgLogMessage, borgErrorFor } from '../src/index.js';

const error = (message: string, msgid?: string): BorgLogMessage => ({
  levelname: 'ERROR',
  name: 'borg.archiver',
  message,
  msgid,
});
const fail = (messages: BorgLogMessage[], stderrTail: string[] = []) =>
  borgErrorFor({ command: 'list', exitCode: 2, messages, stderrTail, argv: ['borg', 'list', '/r'] });

describe('borgErrorFor', () => {
  it.each([
    ['Repository.DoesNotExist', 'REPO_NOT_FOUND'],
    ['Repository.InvalidRepository', 'REPO_NOT_FOUND'],
    ['LockTimeout', 'REPO_LOCKED'],
    ['LockFailed', 'REPO_LOCKED'],
    ['LockError', 'REPO_LOCKED'],
    ['PassphraseWrong', 'REPO_PASSPHRASE_WRONG'],
    ['Archive.DoesNotExist', 'SNAPSHOT_NOT_FOUND'],
    ['Repository.InsufficientFreeSpaceError', 'DISK_FULL'],
    ['Archive.AlreadyExists', 'CONFLICT'],
    ['Something.Else', 'BORG_FAILED'],
  ])('maps msgid %s to %s', (msgid, code) => {
    expect(fail([error('borg said so', msgid)]).code).toBe(code);
  });

  it('maps "No space left on device" without a known msgid to DISK_FULL', () => {
    const tail = ['OSError: [Errno 28] No space left on device'];
    expect(fail([error('Local Exception', 'Exception')], tail).code).toBe('DISK_FULL');
  });

  it('names the command and quotes the last error with a msgid', () => {
    const e = fail([error('first'), error('Repository /r does not exist.', 'Repository.DoesNotExist')]);
    expect(e.message).toBe('borg list failed: Repository /r does not exist.');
    expect(e.msgid).toBe('Repository.DoesNotExist');
  });

  it('falls back to the last stderr line, then to the exit code', () => {
    expect(fail([], ['Traceback line']).message).toBe('borg list failed: Traceback line');
    expect(fail([]).message).toBe('borg list failed: exit code 2');
  });

  it('keeps exit code, stderr tail and argv on the error and in details', () => {
    const e = fail([error('x', 'LockTimeout')], ['ERROR x']);
    expect(e).toBeInstanceOf(BorgError);
    expect(e).toBeInstanceOf(VrsError);
    expect(e.exitCode).toBe(2);
    expect(e.stderrTail).toEqual(['ERROR x']);
    expect(e.argv).toEqual(['borg', 'list', '/r']);
    expect(e.details).toMatchObject({ command: 'list', exitCode: 2, msgid: 'LockTimeout', stderrTail: ['ERROR x'] });
    expect(e.hint.length).toBeGreaterThan(10);
  });
});
