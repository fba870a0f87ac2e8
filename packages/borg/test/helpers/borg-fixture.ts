import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type BorgRepo, setBorgLogger } from '../../src/index.js';

/** Makes a temporary directory; returns it and a function removing it. */
export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vrs-borg-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Takes a temporary directory and a name; returns a repository whose borg state all stays inside it. */
export function repoIn(dir: string, name: string, lockWaitSeconds = 1): BorgRepo {
  return {
    path: join(dir, 'repos', name),
    passphraseFile: join(dir, 'secrets', `${name}.passphrase`),
    baseDir: join(dir, 'borg-base'),
    cacheDir: join(dir, 'borg-cache'),
    lockWaitSeconds,
  };
}

/** Routes the package's logs, at debug, into an array; returns it (each entry one JSON log line). */
export function recordBorgLogs(): string[] {
  const lines: string[] = [];
  setBorgLogger(pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }));
  return lines;
}

/** Takes recorded log lines; returns the argv of every borg run logged, in order. */
export function loggedArgvs(lines: readonly string[]): string[][] {
  return lines
    .map((line) => JSON.parse(line) as { argv?: string[] })
    .flatMap((entry) => (entry.argv ? [entry.argv] : []));
}
