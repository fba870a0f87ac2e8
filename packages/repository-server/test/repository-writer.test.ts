import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { checkRepo, listArchives } from '@vrs/borg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveSnapshot, RepositoryWriter, SerialQueue } from '../src/index.js';
import { commitImage, makeServerData, writeVdi } from './helpers/borg-fixture.js';
import { DISK, VM } from './helpers/mirror-fixtures.js';

describe('the serial queue', () => {
  it('runs work for one key in arrival order, one at a time, and keeps going after a failure', async () => {
    const queue = new SerialQueue();
    const events: string[] = [];
    const step =
      (name: string, ms: number, fail = false) =>
      () =>
        new Promise<string>((resolve, reject) => {
          events.push(`start ${name}`);
          setTimeout(() => {
            events.push(`end ${name}`);
            fail ? reject(new Error(name)) : resolve(name);
          }, ms);
        });
    const a = queue.run('repo', step('a', 30));
    const b = queue.run('repo', step('b', 5, true));
    const c = queue.run('repo', step('c', 5));
    const other = queue.run('other', step('x', 5));
    expect(queue.busy('repo')).toBe(true);
    await expect(Promise.all([a, c, other])).resolves.toEqual(['a', 'c', 'x']);
    await expect(b).rejects.toThrow('b');
    expect(events.filter((e) => !e.endsWith('x'))).toEqual([
      'start a',
      'end a',
      'start b',
      'end b',
      'start c',
      'end c',
    ]);
    expect(events.indexOf('end x')).toBeLessThan(events.indexOf('end a'));
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.busy('repo')).toBe(false);
  });

  it('resolves idle once the work queued so far for a key (or for every key) has settled, failures included', async () => {
    const queue = new SerialQueue();
    const done: string[] = [];
    const later =
      (name: string, ms: number, fail = false) =>
      () =>
        new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            done.push(name);
            fail ? reject(new Error(name)) : resolve();
          }, ms),
        );
    await queue.idle('nothing queued');
    void queue.run('a', later('a1', 20));
    queue.run('a', later('a2', 5, true)).catch(() => undefined);
    void queue.run('b', later('b1', 60));
    await queue.idle('a');
    expect(done).toEqual(['a1', 'a2']);
    await queue.idle();
    expect(done).toEqual(['a1', 'a2', 'b1']);
  });
});

describe('a repository locked by another writer', () => {
  let data: Awaited<ReturnType<typeof makeServerData>>;
  beforeAll(async () => {
    data = await makeServerData();
  });
  afterAll(() => data.cleanup());

  it("gives REPO_LOCKED with borg's words, and leaves the repository as it was", async () => {
    await writeVdi(`${data.dir}/disk.vdi`, 8, { 0: 1, 1: 2 });
    await commitImage(
      data.store,
      data.pool,
      VM,
      DISK,
      `${data.dir}/disk.vdi`,
      'first',
      '00000000-0000-4000-8000-000000000001',
    );
    const writer = new RepositoryWriter();
    const archive = () =>
      writer.write(data.repo.path, () =>
        archiveSnapshot(data.repo, data.store, VM, { label: 'x', blockSize: 1 << 20 }),
      );
    await archive();
    // Another process (say, a long prune run by hand) holds borg's lock.
    const holder = spawn('borg', ['with-lock', data.repo.path, 'sleep', '30'], {
      env: { ...process.env, BORG_BASE_DIR: data.repo.baseDir, BORG_CACHE_DIR: data.repo.cacheDir },
      stdio: 'ignore',
    });
    for (let i = 0; i < 200 && !existsSync(`${data.repo.path}/lock.exclusive`); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(`${data.repo.path}/lock.exclusive`)).toBe(true);
    try {
      const error = await archive().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'REPO_LOCKED' });
      expect((error as { stderrTail: string[] }).stderrTail.join('\n')).toMatch(/lock/i);
    } finally {
      holder.kill('SIGTERM');
      await new Promise((r) => holder.once('exit', r));
    }
    expect(await listArchives(data.repo)).toHaveLength(1);
    expect((await checkRepo(data.repo)).ok).toBe(true);
    await archive();
    expect(await listArchives(data.repo)).toHaveLength(2);
  });
});
