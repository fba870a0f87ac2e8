import { execa } from 'execa';
import type { Logger } from 'pino';
import { borgBinary } from './borg-binary.js';
import { makeBorgEnv } from './borg-env.js';
import { BorgError } from './borg-error.js';
import { borgErrorFor } from './borg-error-for.js';
import { borgLogger } from './borg-logger.js';
import { maskArgv } from './mask-argv.js';
import { type BorgLogMessage, type BorgProgressEvent, formatLogMessage, parseBorgLine } from './progress.js';
import { readPassphrase } from './read-passphrase.js';
import type { BorgRepo } from './repo.js';
import { requireBorg } from './version.js';

/** How to run one borg command. */
export interface RunBorgOptions {
  /** The command for messages, e.g. `create` or `key export`. */
  command: string;
  /** The repository: its passphrase file, cache and base directories. */
  repo: BorgRepo;
  /** Working directory (create: archived paths are relative to it; extract: the destination). */
  cwd?: string;
  /** Extra environment, e.g. `BORG_FILES_CACHE_SUFFIX`. */
  env?: Record<string, string>;
  /** Aborting it terminates borg (SIGTERM, SIGKILL 10 s later); the run throws JOB_CANCELLED. */
  signal?: AbortSignal;
  /** Called for each progress line as it streams (needs `--progress` in argv). */
  onProgress?: (event: BorgProgressEvent) => void;
}

/** A borg run that ended with exit code 0 (success) or 1 (warning: see `messages`). */
export interface BorgRun {
  exitCode: number;
  stdout: string;
  /** Every log message borg wrote, oldest first (capped at the last {@link MAX_MESSAGES}). */
  messages: BorgLogMessage[];
  /** The last {@link TAIL_LINES} non-progress stderr lines. */
  stderrTail: string[];
  /** The argv that ran, secrets masked. */
  argv: string[];
}

/** How many stderr lines a run keeps for errors. */
export const TAIL_LINES = 20;
/** How many log messages a run keeps (a failed check can print one per damaged object). */
export const MAX_MESSAGES = 5_000;

/**
 * Takes borg's arguments (after the executable) and options; runs borg with no shell, stdin closed, the
 * passphrase written to fd 3 (`BORG_PASSPHRASE_FD`), `--log-json` stderr parsed as it streams. Returns the run
 * when borg exits 0 or 1. Throws BorgError: BORG_VERSION (borg missing or too old), REPO_PASSPHRASE_WRONG
 * (unreadable passphrase file), JOB_CANCELLED (signal aborted), else the code {@link borgErrorFor} maps.
 */
export async function runBorg(args: readonly string[], options: RunBorgOptions): Promise<BorgRun> {
  const binary = borgBinary();
  await requireBorg(binary);
  const argv = maskArgv([binary, ...args]);
  const log = borgLogger();
  const env = makeBorgEnv(options.repo, options.env);
  const stderr = collectStderr(options, log);
  log.debug({ argv, cwd: options.cwd, env: borgVariables(env) }, `borg ${options.command}`);
  const passphrase = await readPassphrase(options.repo.passphraseFile);
  try {
    const result = await execa(binary, args, {
      cwd: options.cwd,
      env,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', { transform: stderr.transform }, passphrase],
      ...(options.signal ? { cancelSignal: options.signal } : {}),
      forceKillAfterDelay: 10_000,
    });
    const init = { command: options.command, exitCode: result.exitCode, argv, ...stderr.state };
    if (result.isCanceled) throw new BorgError('JOB_CANCELLED', `borg ${options.command} was cancelled`, init);
    if (result.exitCode === undefined && !result.signal) {
      const message = `borg ${options.command} could not start: ${result.shortMessage}`;
      throw new BorgError('BORG_FAILED', message, { ...init, cause: result.cause });
    }
    if (result.exitCode !== 0 && result.exitCode !== 1) throw borgErrorFor(init);
    const run: BorgRun = { exitCode: result.exitCode, stdout: String(result.stdout), ...stderr.state, argv };
    log.debug({ exitCode: run.exitCode }, `borg ${options.command} done`);
    return run;
  } finally {
    passphrase.fill(0);
  }
}

/** Takes an environment; returns its `BORG_*` entries, which hold no secret (the passphrase goes through fd 3). */
function borgVariables(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('BORG_')));
}

/** Warnings that are part of normal operation, logged at debug: a files cache suffix's first use. */
const EXPECTED_WARNING = /^The files cache can't be read\./;

/** Logs one borg message: unexpected warnings at warn (errors end in a thrown BorgError), the rest at trace. */
function logMessage(log: Logger, command: string, m: BorgLogMessage): void {
  const text = `borg ${command}: ${m.message}`;
  if (m.levelname === 'WARNING' && !EXPECTED_WARNING.test(m.message)) log.warn({ msgid: m.msgid }, text);
  else log.trace({ level: m.levelname, msgid: m.msgid }, text);
}

function collectStderr(options: RunBorgOptions, log: Logger) {
  const state = { messages: [] as BorgLogMessage[], stderrTail: [] as string[] };
  // An execa line transform that yields nothing: lines are handled here and never buffered into result.stderr.
  // biome-ignore lint/correctness/useYield: consuming every line is the point
  function* transform(line: unknown): Generator<string, void, unknown> {
    const parsed = parseBorgLine(String(line));
    if (parsed.type === 'progress') {
      try {
        options.onProgress?.(parsed.event);
      } catch (error) {
        log.warn({ err: error }, 'borg progress callback threw');
      }
    } else if (parsed.type === 'log') {
      state.messages.push(parsed.log);
      if (state.messages.length > MAX_MESSAGES) state.messages.shift();
      state.stderrTail.push(formatLogMessage(parsed.log));
      if (state.stderrTail.length > TAIL_LINES) state.stderrTail.shift();
      logMessage(log, options.command, parsed.log);
    }
  }
  return { state, transform };
}
