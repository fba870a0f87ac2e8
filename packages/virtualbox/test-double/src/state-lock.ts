import type { Stats } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isProcessAlive } from './process-alive.js';
import { sleep } from './sleep.js';

/**
 * Takes the lock directory and a function; runs the function while holding an exclusive lock (an
 * `mkdir`ed directory holding the owner's pid), so concurrent VBoxManage invocations never interleave
 * their read-modify-write of the double's state. A lock whose owner died is taken over. Throws after
 * `timeoutMs` without the lock.
 */
export async function withStateLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  await acquire(lockDir, timeoutMs);
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function acquire(lockDir: string, timeoutMs: number): Promise<void> {
  await mkdir(dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(`${lockDir}/pid`, String(process.pid));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stale = await isStale(lockDir);
    if (stale) await breakLock(lockDir, stale);
    else if (Date.now() > deadline) throw new Error(`the double's state lock ${lockDir} is held too long`);
    else await sleep(3 + Math.random() * 7);
  }
}

async function ownerOf(lockDir: string): Promise<number | undefined> {
  const text = await readFile(`${lockDir}/pid`, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const STALE_AGE_MS = 2_000;

/**
 * A lock is stale only when it is older than 2 s and its owner is gone. Young locks are never broken:
 * an owner that just released and exited must not make its successor's fresh lock look stale.
 */
async function isStale(lockDir: string): Promise<Stats | undefined> {
  const info = await stat(lockDir).catch(() => undefined);
  if (info === undefined || Date.now() - info.mtimeMs < STALE_AGE_MS) return undefined;
  const owner = await ownerOf(lockDir);
  return owner === undefined || !isProcessAlive(owner) ? info : undefined;
}

async function breakLock(lockDir: string, judged: Stats): Promise<void> {
  const aside = `${lockDir}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const moved = await rename(lockDir, aside).then(
    () => true,
    () => false,
  );
  if (!moved) return;
  const now = await stat(aside).catch(() => undefined);
  if (now !== undefined && (now.ino !== judged.ino || now.mtimeMs !== judged.mtimeMs)) {
    // Not the lock we judged stale: its owner released it and a successor took a new one. Give it back.
    await rename(aside, lockDir).catch(() => undefined);
    return;
  }
  await rm(aside, { recursive: true, force: true });
}
