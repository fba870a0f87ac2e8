import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BorgError,
  checkRepo,
  createArchive,
  initRepo,
  listArchives,
  makeBorgEnv,
  PASSPHRASE_FD,
} from '../src/index.js';
import { loggedArgvs, makeTempDir, recordBorgLogs, repoIn } from './helpers/borg-fixture.js';

const temp = makeTempDir();
const repo = repoIn(temp.dir, 'vm-9');
const source = join(temp.dir, 'mirror');
const logs = recordBorgLogs();

const fail = (promise: Promise<unknown>): Promise<BorgError> =>
  promise.then(
    () => {
      throw new Error('expected the borg call to fail');
    },
    (error: BorgError) => error,
  );

beforeAll(async () => {
  mkdirSync(join(source, 'vm-9'), { recursive: true });
  writeFileSync(join(source, 'vm-9', 'disk.vdi'), randomBytes(24 * 1024 * 1024));
  await initRepo(repo);
  await createArchive(repo, { archive: 'vm-9-a', paths: ['vm-9/disk.vdi'], cwd: source, chunkerBlockSize: 1 << 20 });
});
afterAll(temp.remove);

describe('borg failures', () => {
  it('says REPO_NOT_FOUND for a missing repository', async () => {
    const error = await fail(listArchives({ ...repo, path: join(temp.dir, 'repos', 'nope') }));
    expect(error).toMatchObject({ code: 'REPO_NOT_FOUND', msgid: 'Repository.DoesNotExist', exitCode: 2 });
    expect(error.message).toMatch(/^borg list failed: Repository .*nope does not exist\.$/);
    expect(error.stderrTail.join('\n')).toContain('does not exist');
    expect(error.argv.slice(0, 2)).toEqual(['borg', 'list']);
  });

  it('says REPO_PASSPHRASE_WRONG for a wrong passphrase, at once and without a prompt', async () => {
    const wrong = join(temp.dir, 'secrets', 'wrong.passphrase');
    writeFileSync(wrong, 'not-the-passphrase\n', { mode: 0o600 });
    const started = Date.now();
    const error = await fail(listArchives({ ...repo, passphraseFile: wrong }));
    expect(error).toMatchObject({ code: 'REPO_PASSPHRASE_WRONG', msgid: 'PassphraseWrong', exitCode: 2 });
    expect(error.message).toContain('BORG_PASSPHRASE_FD is incorrect');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(JSON.stringify(loggedArgvs(logs))).not.toContain('not-the-passphrase');
  });

  it('ignores a BORG_PASSPHRASE and BORG_EXIT_CODES inherited from the parent process', async () => {
    process.env.BORG_PASSPHRASE = 'inherited-and-wrong';
    process.env.BORG_EXIT_CODES = 'modern';
    try {
      expect((await listArchives(repo)).map((a) => a.name)).toEqual(['vm-9-a']);
      const error = await fail(listArchives({ ...repo, path: join(temp.dir, 'repos', 'nope') }));
      expect(error.exitCode).toBe(2); // legacy code: modern mode would exit 13 for Repository.DoesNotExist
    } finally {
      delete process.env.BORG_PASSPHRASE;
      delete process.env.BORG_EXIT_CODES;
    }
  });

  it('says REPO_PASSPHRASE_WRONG for a missing or empty passphrase file before borg runs', async () => {
    const runs = loggedArgvs(logs).length;
    const missing = await fail(listArchives({ ...repo, passphraseFile: join(temp.dir, 'secrets', 'none') }));
    expect(missing).toMatchObject({ code: 'REPO_PASSPHRASE_WRONG', message: expect.stringContaining('ENOENT') });
    const empty = join(temp.dir, 'secrets', 'empty.passphrase');
    writeFileSync(empty, '\n', { mode: 0o600 });
    await expect(listArchives({ ...repo, passphraseFile: empty })).rejects.toMatchObject({
      code: 'REPO_PASSPHRASE_WRONG',
      message: expect.stringContaining('is empty'),
    });
    expect(loggedArgvs(logs).length - runs).toBe(2); // logged, but borg never got a passphrase to try
  });

  it('says REPO_LOCKED while another borg holds the lock, keeping the stderr tail', async () => {
    const holder = holdLock();
    try {
      await waitFor(() => existsSync(join(repo.path, 'lock.exclusive')));
      const started = Date.now();
      const error = await fail(listArchives({ ...repo, lockWaitSeconds: 1 }));
      expect(error).toMatchObject({ code: 'REPO_LOCKED', msgid: 'LockTimeout', exitCode: 2 });
      expect(error.stderrTail.at(-1)).toMatch(
        /^ERROR Failed to create\/acquire the lock .*lock\.exclusive \(timeout\)\.$/,
      );
      expect(error.details).toMatchObject({ stderrTail: error.stderrTail });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    } finally {
      await release(holder);
    }
    expect((await listArchives(repo)).map((a) => a.name)).toEqual(['vm-9-a']);
  });

  it('cancels a running create through its AbortSignal and leaves the repository usable', async () => {
    const controller = new AbortController();
    const error = await fail(
      createArchive(repo, {
        archive: 'vm-9-cancelled',
        paths: ['vm-9'],
        cwd: source,
        chunkerBlockSize: 4096,
        compression: 'zstd,10',
        signal: controller.signal,
        onProgress: (event) => {
          if (event.kind === 'archive') controller.abort();
        },
      }),
    );
    expect(error.code).toBe('JOB_CANCELLED');
    expect(error.message).toBe('borg create was cancelled');
    const names = (await listArchives(repo)).map((a) => a.name);
    expect(names).not.toContain('vm-9-cancelled');
    expect(names).toContain('vm-9-a');
  });

  it('refuses a repository that moved since borg last saw it, with the question in the tail', async () => {
    const moved = { ...repo, path: join(temp.dir, 'repos', 'vm-9-moved') };
    cpSync(repo.path, moved.path, { recursive: true });
    const error = await fail(listArchives(moved));
    expect(error).toMatchObject({ code: 'BORG_FAILED', msgid: 'Cache.RepositoryAccessAborted' });
    expect(error.message).toBe('borg list failed: Repository access aborted');
    expect(error.stderrTail.join('\n')).toContain(
      `QUESTION Warning: The repository at location ${moved.path} was previously`,
    );
  });

  it('returns ok false with borg lines when the check finds damage', async () => {
    const damaged = repoIn(temp.dir, 'damaged');
    await initRepo(damaged);
    await createArchive(damaged, { archive: 'd-1', paths: ['vm-9'], cwd: source, chunkerBlockSize: 1 << 20 });
    const segments = join(damaged.path, 'data', '0');
    const biggest = readdirSync(segments)
      .map((name) => join(segments, name))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0] as string;
    const bytes = readFileSync(biggest);
    bytes.writeUInt8((bytes[bytes.length >> 1] as number) ^ 0xff, bytes.length >> 1);
    writeFileSync(biggest, bytes);
    const result = await checkRepo(damaged, { repositoryOnly: true });
    expect(result.ok).toBe(false);
    expect(result.output.join('\n')).toMatch(/errors found/);
  });
});

/** Starts `borg with-lock REPO sleep 30` in its own process group; returns it once spawned. */
function holdLock(): ChildProcess {
  const env = makeBorgEnv(repo);
  const child = spawn('borg', ['with-lock', repo.path, 'sleep', '30'], {
    env,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const pipe = child.stdio[PASSPHRASE_FD] as NodeJS.WritableStream;
  pipe.on('error', () => undefined);
  pipe.end(`${readFileSync(repo.passphraseFile, 'utf8').trim()}\n`);
  return child;
}

/** Ends the lock holder's process group (borg and its sleep), and waits for borg to exit. */
async function release(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.pid !== undefined) {
    const exited = once(child, 'exit');
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
