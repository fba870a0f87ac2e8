/** Progress borg reports while it runs (`--progress` with `--log-json`). */
export type BorgProgressEvent =
  | {
      kind: 'archive';
      originalSize: number;
      compressedSize: number;
      deduplicatedSize: number;
      nfiles: number;
      path: string;
    }
  | { kind: 'percent'; current: number; total: number; message: string }
  | { kind: 'message'; message: string };

/**
 * One log line of borg: `levelname` is DEBUG…CRITICAL, QUESTION for a prompt borg answered from the environment,
 * or TEXT for a line that was not JSON.
 */
export interface BorgLogMessage {
  levelname: string;
  /** The Python logger, e.g. `borg.archiver`, or `borg.output.list` for `--list` lines. */
  name: string;
  message: string;
  msgid: string | undefined;
}

/** A parsed stderr line: progress, a log message, or nothing worth keeping (e.g. a "finished" marker). */
export type BorgStderrLine =
  | { type: 'progress'; event: BorgProgressEvent }
  | { type: 'log'; log: BorgLogMessage }
  | { type: 'none' };

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Takes one stderr line of borg run with `--log-json`; returns what it says. Lines that are not JSON
 * (tracebacks, text from old borg) come back as log messages of level TEXT. Never throws.
 */
export function parseBorgLine(line: string): BorgStderrLine {
  const text = line.trimEnd();
  if (text.length === 0) return { type: 'none' };
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    record = parsed as Record<string, unknown>;
  } catch {
    return { type: 'log', log: { levelname: 'TEXT', name: '', message: text, msgid: undefined } };
  }
  return parseRecord(record);
}

function parseRecord(r: Record<string, unknown>): BorgStderrLine {
  const finished = r.finished === true;
  switch (r.type) {
    case 'log_message': {
      const msgid = typeof r.msgid === 'string' ? r.msgid : undefined;
      return { type: 'log', log: { levelname: str(r.levelname), name: str(r.name), message: str(r.message), msgid } };
    }
    case 'archive_progress':
      if (finished) return { type: 'none' };
      return {
        type: 'progress',
        event: {
          kind: 'archive',
          originalSize: num(r.original_size),
          compressedSize: num(r.compressed_size),
          deduplicatedSize: num(r.deduplicated_size),
          nfiles: num(r.nfiles),
          path: str(r.path),
        },
      };
    case 'progress_percent':
      if (finished) return { type: 'none' };
      return {
        type: 'progress',
        event: { kind: 'percent', current: num(r.current), total: num(r.total), message: str(r.message) },
      };
    case 'progress_message':
      if (finished || typeof r.message !== 'string') return { type: 'none' };
      return { type: 'progress', event: { kind: 'message', message: r.message } };
    default:
      // question_prompt, question_env_answer, question_accepted_false, …: why borg stopped (answers come from env).
      if (typeof r.type === 'string' && r.type.startsWith('question_') && typeof r.message === 'string') {
        const msgid = typeof r.msgid === 'string' ? r.msgid : undefined;
        return { type: 'log', log: { levelname: 'QUESTION', name: r.type, message: r.message.trim(), msgid } };
      }
      return { type: 'none' };
  }
}

/** Takes a log message; returns the one line kept in a stderr tail, e.g. `ERROR Repository /x does not exist.` */
export function formatLogMessage(log: BorgLogMessage): string {
  return log.levelname === 'TEXT' ? log.message : `${log.levelname} ${log.message}`;
}
