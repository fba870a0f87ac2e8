// The seed document's own method, over a lab link: the baseline vrs is measured against.
//   snapshot: `borg create --chunker-params fixed,1048576 --compression lz4` of the image on the host, through
//             an ssh-like pipe (BORG_RSH = socat over the veth) to `borg serve --append-only` on storage;
//   restore:  `borg mount` of an archive on storage, then `rsync --inplace --no-whole-file` of the image to the
//             host over the same link (rsync's daemon protocol through the same kind of pipe), onto an older copy;
//   copy:     a plain full copy of the image over the link (socat).
// Figures of each step: wall time, bytes on the wire (veth counters), CPU seconds on each side.
import { spawn, spawnSync } from 'node:child_process';
import { constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ADDRESSES } from './lab.mjs';

const PORTS = { borg: 7001, rsync: 7002, copy: 7003 };

/** Takes two lab counter readings; returns the bytes both ends sent between them. */
export function wireDelta(before, after) {
  const up = after.host.txBytes - before.host.txBytes;
  const down = after.storage.txBytes - before.storage.txBytes;
  return { up, down, total: up + down };
}

const cpuOf = (...results) => Math.round(results.reduce((s, r) => s + (r.cpu?.total ?? Number.NaN), 0) * 100) / 100;

/** Takes an argv; runs it outside the lab (the event loop stays free for signals) and returns its exit code. */
export function exitCode(command, args) {
  return new Promise((resolve, reject) => {
    spawn(command, args, { stdio: 'ignore' }).on('error', reject).on('close', resolve);
  });
}

/** Takes a source and a target path; copies the file, as a reflink where the filesystem can. */
export function cloneFile(from, to) {
  return copyFile(from, to, constants.COPYFILE_FICLONE);
}

/**
 * Takes the lab and { dir: its working directory, image: the host's image file, cold(): drops caches,
 * groups: optional { host, storage } CpuGroups the commands join }; returns the seed method's steps:
 * `init()`, `snapshot(archive)`, `restore(archive, { basis, from, expected })`, `fullCopy()` and `unmount()`.
 * Each step returns { seconds, wire, cpu: { host, storage } } (CPU from GNU time of every process), more where
 * noted. Throws when a command fails or a restore is not byte-identical to `expected`.
 */
export function makeSeedMethod(lab, { dir, image, cold, groups = null }) {
  const path = (...parts) => join(dir, ...parts);
  const repo = path('storage', 'repo');
  const mnt = path('storage', 'mnt');
  const name = basename(image);
  const wrap = (side, argv) => (groups ? groups[side].wrap(argv) : argv);
  for (const side of ['host', 'storage']) mkdirSync(path(side), { recursive: true });
  const env = (side, port = PORTS.borg) => ({
    LANG: 'C',
    BORG_BASE_DIR: path(side, 'borg'),
    BORG_PASSPHRASE: 'seed-method-bench',
    BORG_RSH: path('rsh.sh'),
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    VRS_RSH_PORT: String(port),
  });
  // The ssh stand-in: the remote command is fixed by the listener on storage, as a forced command would be;
  // it retries the connect until the listener (started just before) is up.
  writeFileSync(
    path('rsh.sh'),
    `#!/bin/sh\nexec socat - TCP:${ADDRESSES.storage}:"$VRS_RSH_PORT",retry=100,interval=0.05\n`,
    { mode: 0o755 },
  );
  writeFileSync(
    path('storage', 'rsyncd.conf'),
    `use chroot = no\nuid = root\ngid = root\nlog file = ${path('storage', 'rsyncd.log')}\n[snap]\npath = ${mnt}\nread only = yes\n`,
  );
  const unmount = () => spawnSync('fusermount3', ['-u', '-z', mnt], { stdio: 'ignore' });

  /** One `borg serve --append-only` for one connection: socat execs it on the accepted socket. */
  const serve = () =>
    lab.spawn(
      'storage',
      wrap('storage', [
        'socat',
        `TCP-LISTEN:${PORTS.borg},reuseaddr`,
        `EXEC:borg serve --append-only --restrict-to-repository ${repo},nofork`,
      ]),
      { env: env('storage') },
    );

  async function init() {
    rmSync(repo, { recursive: true, force: true });
    await lab.run('storage', ['borg', 'init', '--encryption', 'repokey-blake2', repo], { env: env('storage') });
  }

  async function snapshot(archive) {
    cold();
    const server = serve();
    const before = lab.counters();
    const client = await lab.run(
      'host',
      wrap('host', [
        'borg',
        'create',
        '--json',
        '--chunker-params',
        'fixed,1048576',
        '--compression',
        'lz4',
        `ssh://storage${repo}::${archive}`,
        name,
      ]),
      { cwd: dirname(image), env: env('host') },
    );
    const after = lab.counters();
    const served = await server.done;
    const stats = JSON.parse(client.stdout).archive.stats;
    return {
      seconds: client.seconds,
      wire: wireDelta(before, after),
      cpu: { host: cpuOf(client), storage: cpuOf(served) },
      deduplicatedSize: stats.deduplicated_size,
      compressedSize: stats.compressed_size,
    };
  }

  async function restore(archive, { basis, from, expected }) {
    await cloneFile(from, basis);
    cold();
    mkdirSync(mnt, { recursive: true });
    const before = lab.counters();
    const start = process.hrtime.bigint();
    const mount = lab.spawn('storage', wrap('storage', ['borg', 'mount', '-f', `${repo}::${archive}`, mnt]), {
      env: env('storage'),
    });
    try {
      for (let i = 0; i < 2400 && !existsSync(join(mnt, name)); i++) {
        if (mount.child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!existsSync(join(mnt, name))) throw new Error(`borg mount did not show ${archive}/${name} within 120 s`);
      const mountSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      const server = lab.spawn(
        'storage',
        wrap('storage', [
          'socat',
          `TCP-LISTEN:${PORTS.rsync},reuseaddr`,
          `EXEC:rsync --server --daemon --config=${path('storage', 'rsyncd.conf')} .,nofork`,
        ]),
        { env: env('storage', PORTS.rsync) },
      );
      const client = await lab.run(
        'host',
        wrap('host', [
          'rsync',
          '--inplace',
          '--no-whole-file',
          '--stats',
          '-e',
          path('rsh.sh'),
          `storage::snap/${name}`,
          basis,
        ]),
        { env: env('host', PORTS.rsync) },
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const after = lab.counters();
      const served = await server.done;
      unmount();
      const mounted = await mount.done;
      if ((await exitCode('cmp', ['-s', basis, expected])) !== 0) throw new Error(`restore of ${archive} differs`);
      const literal = Number(/Literal data: ([\d,]+)/.exec(client.stdout)?.[1].replaceAll(',', '') ?? Number.NaN);
      return {
        seconds,
        mountSeconds,
        rsyncSeconds: client.seconds,
        wire: wireDelta(before, after),
        literalBytes: literal,
        cpu: { host: cpuOf(client), storage: cpuOf(served, mounted) },
      };
    } finally {
      unmount();
      await mount.stop();
    }
  }

  async function fullCopy() {
    cold();
    const target = path('storage', 'copy.img');
    const server = lab.spawn(
      'storage',
      wrap('storage', ['socat', '-u', `TCP-LISTEN:${PORTS.copy},reuseaddr`, `OPEN:${target},creat,trunc`]),
    );
    const before = lab.counters();
    const client = await lab.run(
      'host',
      wrap('host', ['socat', '-u', `OPEN:${image}`, `TCP:${ADDRESSES.storage}:${PORTS.copy},retry=100,interval=0.1`]),
    );
    const served = await server.done;
    const after = lab.counters();
    if (statSync(target).size !== statSync(image).size) throw new Error('the full copy is short');
    rmSync(target);
    return {
      seconds: client.seconds,
      wire: wireDelta(before, after),
      cpu: { host: cpuOf(client), storage: cpuOf(served) },
    };
  }

  return { init, snapshot, restore, fullCopy, unmount, mnt };
}

/**
 * Takes the lab, a file on the host and a port; sends the file to /dev/null on storage with socat and returns
 * { seconds, wire }: the link's own time for those bytes (the wire limit of a transfer of that size).
 */
export async function timeOnLink(lab, file, port = 7004) {
  const server = lab.spawn('storage', ['socat', '-u', `TCP-LISTEN:${port},reuseaddr`, 'OPEN:/dev/null']);
  const before = lab.counters();
  const client = await lab.run('host', [
    'socat',
    '-u',
    `OPEN:${file}`,
    `TCP:${ADDRESSES.storage}:${port},retry=100,interval=0.05`,
  ]);
  await server.done;
  const after = lab.counters();
  return { seconds: client.seconds, wire: wireDelta(before, after) };
}
