import { describe, expect, it } from 'vitest';
import { formatLogMessage, parseBorgLine } from '../src/index.js';

// Lines recorded from borg 1.2.4 `create --log-json --progress` and failures.
const ARCHIVE_PROGRESS =
  '{"original_size": 65536, "compressed_size": 65579, "deduplicated_size": 65579, "nfiles": 0, "path": "f1", "time": 1795839335.1462991, "type": "archive_progress", "finished": false}';
const ARCHIVE_DONE = '{"time": 1795839335.161536, "type": "archive_progress", "finished": true}';
const MESSAGE =
  '{"message": "Initializing cache transaction: Reading config", "operation": 1, "msgid": "cache.begin_transaction", "type": "progress_message", "finished": false, "time": 1795839335.1435633}';
const MESSAGE_DONE =
  '{"operation": 1, "msgid": "cache.begin_transaction", "type": "progress_message", "finished": true, "time": 1795839335.144007}';
const PERCENT =
  '{"message": "Extracting:  40.0% vm/disk.vdi", "current": 2097152, "total": 5242880, "info": ["vm/disk.vdi"], "operation": 3, "msgid": "extract", "type": "progress_percent", "finished": false, "time": 1795839335.2}';
const LOG_ERROR =
  '{"type": "log_message", "time": 1795839367.4525044, "message": "Repository /tmp/bx/nope does not exist.", "levelname": "ERROR", "name": "borg.archiver", "msgid": "Repository.DoesNotExist"}';

describe('parseBorgLine', () => {
  it('reads archive_progress as an archive event', () => {
    expect(parseBorgLine(ARCHIVE_PROGRESS)).toEqual({
      type: 'progress',
      event: {
        kind: 'archive',
        originalSize: 65536,
        compressedSize: 65579,
        deduplicatedSize: 65579,
        nfiles: 0,
        path: 'f1',
      },
    });
  });

  it('drops the finished marker of archive_progress', () => {
    expect(parseBorgLine(ARCHIVE_DONE)).toEqual({ type: 'none' });
  });

  it('reads progress_message as a message event', () => {
    expect(parseBorgLine(MESSAGE)).toEqual({
      type: 'progress',
      event: { kind: 'message', message: 'Initializing cache transaction: Reading config' },
    });
  });

  it('drops a finished progress_message', () => {
    expect(parseBorgLine(MESSAGE_DONE)).toEqual({ type: 'none' });
  });

  it('reads progress_percent as a percent event', () => {
    expect(parseBorgLine(PERCENT)).toEqual({
      type: 'progress',
      event: { kind: 'percent', current: 2097152, total: 5242880, message: 'Extracting:  40.0% vm/disk.vdi' },
    });
  });

  it('reads log_message with its level, logger and msgid', () => {
    expect(parseBorgLine(LOG_ERROR)).toEqual({
      type: 'log',
      log: {
        levelname: 'ERROR',
        name: 'borg.archiver',
        message: 'Repository /tmp/bx/nope does not exist.',
        msgid: 'Repository.DoesNotExist',
      },
    });
  });

  it('keeps a line that is not JSON as a TEXT message', () => {
    expect(parseBorgLine('Traceback (most recent call last):')).toEqual({
      type: 'log',
      log: { levelname: 'TEXT', name: '', message: 'Traceback (most recent call last):', msgid: undefined },
    });
  });

  it('reads a question borg answered from the environment as a QUESTION message', () => {
    const prompt =
      '{"type": "question_prompt", "msgid": "BORG_RELOCATED_REPO_ACCESS_IS_OK", "message": "Warning: The repository at location /r2 was previously located at /r\\nDo you want to continue? [yN] "}';
    expect(parseBorgLine(prompt)).toEqual({
      type: 'log',
      log: {
        levelname: 'QUESTION',
        name: 'question_prompt',
        message: 'Warning: The repository at location /r2 was previously located at /r\nDo you want to continue? [yN]',
        msgid: 'BORG_RELOCATED_REPO_ACCESS_IS_OK',
      },
    });
  });

  it('ignores blank lines, JSON that is not an object and unknown types', () => {
    expect(parseBorgLine('   ')).toEqual({ type: 'none' });
    expect(parseBorgLine('[1,2]').type).toBe('log');
    expect(parseBorgLine('{"type": "file_status", "status": "A", "path": "x"}')).toEqual({ type: 'none' });
  });
});

describe('formatLogMessage', () => {
  it('prefixes the level, and leaves TEXT lines as they were', () => {
    expect(formatLogMessage({ levelname: 'ERROR', name: 'borg', message: 'boom', msgid: undefined })).toBe(
      'ERROR boom',
    );
    expect(formatLogMessage({ levelname: 'TEXT', name: '', message: 'raw', msgid: undefined })).toBe('raw');
  });
});
