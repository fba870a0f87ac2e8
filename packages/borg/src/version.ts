import { execa } from 'execa';
import { borgBinary } from './borg-binary.js';
import { BorgError } from './borg-error.js';

/** A borg release, from `borg --version`. */
export interface BorgVersion {
  major: number;
  minor: number;
  patch: number;
  /** borg's own line, e.g. `borg 1.2.4`. */
  text: string;
}

type Triple = readonly [major: number, minor: number, patch: number];

/**
 * What this wrapper relies on, and the first borg release that has it (from borg's change log), in the manner
 * of borgmatic's `borg/feature.py`. Every feature below 1.2 is part of the supported baseline.
 */
export const BORG_FEATURES = {
  /** `--log-json` structured stderr, and `create/list/info --json`. */
  'log-json': [1, 1, 0],
  /** `borg list REPO::ARCHIVE --json-lines`. */
  'json-lines': [1, 1, 0],
  /** `BORG_PASSPHRASE_FD`: the passphrase read from an inherited pipe. */
  'passphrase-fd': [1, 1, 8],
  /** `borg init --make-parent-dirs`. */
  'make-parent-dirs': [1, 1, 9],
  /** `{placeholders}` expanded in `--comment` and `--glob-archives` (the wrapper doubles braces). */
  'comment-placeholders': [1, 1, 10],
  /** `--chunker-params fixed,SIZE`: the fixed-block chunker VM disk images need. */
  'fixed-chunker': [1, 2, 0],
  /** `borg compact`: deleting and pruning free space only once it runs. */
  compact: [1, 2, 0],
  /** `BORG_EXIT_CODES=modern`; the wrapper keeps legacy codes (0/1/2) and reads msgids instead. */
  'modern-exit-codes': [1, 4, 0],
} as const satisfies Record<string, Triple>;

/** A feature name of {@link BORG_FEATURES}. */
export type BorgFeature = keyof typeof BORG_FEATURES;

/** The oldest borg the wrapper runs (inclusive) and the first it refuses: borg 2 changed the command line. */
export const SUPPORTED_BORG_RANGE = { min: [1, 2, 0], below: [2, 0, 0] } as const;

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const versionTriple = (v: BorgVersion): Triple => [v.major, v.minor, v.patch];

/** Takes a version and a feature; returns whether that borg has it. Never throws. */
export function hasFeature(version: BorgVersion, feature: BorgFeature): boolean {
  return compare(versionTriple(version), BORG_FEATURES[feature]) >= 0;
}

/**
 * Takes the output of `borg --version` (`borg 1.2.4`, `borg-linux64 1.4.0`, `borg 1.2.0rc1`); returns the
 * version, or undefined when it names none.
 */
export function parseBorgVersion(output: string): BorgVersion | undefined {
  const text = output.trim().split('\n')[0]?.trim() ?? '';
  const m = /^\S+\s+(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text };
}

/**
 * Takes an optional borg executable (default: {@link borgBinary}); runs `borg --version` and returns the
 * version. Throws BorgError BORG_VERSION when borg is missing, does not answer, or is outside 1.2.x–1.x.
 */
export async function getBorgVersion(options: { binary?: string } = {}): Promise<BorgVersion> {
  const binary = options.binary ?? borgBinary();
  const argv = [binary, '--version'];
  const result = await execa(binary, ['--version'], {
    reject: false,
    stdin: 'ignore',
    env: { LANG: 'C' },
    timeout: 30_000,
  });
  if (result.failed && result.exitCode === undefined) {
    throw new BorgError('BORG_VERSION', `borg not found: cannot run ${binary} (${result.code ?? 'failed'})`, {
      command: '--version',
      argv,
      cause: result.cause,
    });
  }
  const version = parseBorgVersion(`${result.stdout}`);
  const stderrTail = `${result.stderr}`.split('\n').filter(Boolean).slice(-20);
  if (result.exitCode !== 0 || !version) {
    const message = `${binary} --version did not name a borg version (exit ${result.exitCode})`;
    throw new BorgError('BORG_VERSION', message, { command: '--version', argv, exitCode: result.exitCode, stderrTail });
  }
  const triple = versionTriple(version);
  if (compare(triple, SUPPORTED_BORG_RANGE.min) < 0 || compare(triple, SUPPORTED_BORG_RANGE.below) >= 0) {
    const message = `${version.text} is not supported: vrs needs borg 1.2 or newer (1.x; borg 2 has another CLI)`;
    throw new BorgError('BORG_VERSION', message, { command: '--version', argv, exitCode: result.exitCode });
  }
  return version;
}

const checked = new Map<string, Promise<BorgVersion>>();

/**
 * Takes a borg executable; returns its version, checked once per process (a failure is not remembered, so
 * installing borg fixes it). Throws like {@link getBorgVersion}.
 */
export function requireBorg(binary: string): Promise<BorgVersion> {
  let pending = checked.get(binary);
  if (!pending) {
    pending = getBorgVersion({ binary });
    checked.set(binary, pending);
    pending.catch(() => checked.delete(binary));
  }
  return pending;
}
