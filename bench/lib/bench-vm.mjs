// The setting bench/vrs-vs-seed.mjs and bench/vrs-timeline.mjs share: a scratch directory, CPU groups, a btrfs
// loop mount holding the images and a VM on the VirtualBox double whose folder is a subvolume, with the mixed
// 8 GiB image as its disk. Everything it makes is undone by a janitor, also after SIGKILL.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mountBtrfs } from './btrfs-loop.mjs';
import { CpuGroup, removeStaleGroups } from './cpu-group.mjs';
import { shellQuote as q, startJanitor } from './janitor.mjs';
import { makeMixedVdi } from './mixed-vdi.mjs';
import { cloneFile } from './seed.mjs';
import { BIN } from './vrs-stack.mjs';

const GIB = 1024 ** 3;

/** Takes a line; prints it with the time of day. */
export const say = (text) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

/**
 * Takes { name, gib: GiB of the virtual disk written, cacheDir: where the base image is kept between runs (or
 * none), groups: names of CPU groups }; needs root. Returns { janitor, work, groups, btrfs, at(...), images,
 * disk, vboxHome, vboxEnv, vbox(...args), makeVm() }: `makeVm()` makes the base image and the VM `bench` (its
 * folder a subvolume, a clone of the base image attached on port 0) and returns its UUID.
 */
export function makeBenchSetting({ name, gib, cacheDir, groups: groupNames }) {
  if (process.getuid?.() !== 0) throw new Error('this benchmark needs root (network namespaces, btrfs, cgroups)');
  const janitor = startJanitor();
  removeStaleGroups();
  const work = mkdtempSync(join(tmpdir(), `vrs-bench-${name}-`));
  janitor.add(`rm -rf ${q(work)}`);
  const groups = {};
  for (const group of groupNames) {
    groups[group] = CpuGroup.create(group);
    janitor.add(`rmdir ${q(groups[group].dir)}`);
  }
  const btrfs = mountBtrfs(join(work, 'btrfs'), Math.max(8, gib * 4 + 4));
  janitor.add(`umount ${q(btrfs.dir)} || umount -l ${q(btrfs.dir)}`, { first: true });
  const at = (...parts) => join(btrfs.dir, ...parts);
  const images = { base: at('images', 'base.vdi'), s1: at('images', 's1.vdi'), s2: at('images', 's2.vdi') };
  const disk = at('vms', 'bench', 'bench.vdi');
  const vboxHome = join(work, 'vbox');
  const vboxEnv = { ...process.env, LANG: 'C', VRS_VBOX_DOUBLE_HOME: vboxHome };
  // stderr kept out of the output (the double draws VirtualBox's progress bar there), but in a failure's error.
  const vbox = (...args) =>
    execFileSync(BIN.vboxmanage, args, { env: vboxEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  async function makeVm() {
    mkdirSync(at('images'), { recursive: true });
    mkdirSync(at('vms'), { recursive: true });
    const make = (file) => makeMixedVdi(file, { diskSize: 8 * GIB, allocated: gib * GIB, seed: 42 });
    if (cacheDir) {
      const cached = join(resolve(cacheDir), `mixed-${gib}g-seed42.vdi`);
      mkdirSync(resolve(cacheDir), { recursive: true });
      if (!existsSync(cached)) {
        say(`making ${cached} (kept for later runs) …`);
        await make(cached);
      }
      execFileSync('cp', [cached, images.base]);
    } else {
      say(`making an 8 GiB VDI with ${gib} GiB of it written (every 7th block left out) …`);
      await make(images.base);
    }
    btrfs.subvolume(at('vms', 'bench'));
    await cloneFile(images.base, disk);
    mkdirSync(vboxHome, { recursive: true });
    vbox('createvm', '--name', 'bench', '--ostype', 'Ubuntu_64', '--basefolder', at('vms'), '--register');
    vbox('storagectl', 'bench', '--name', 'SATA', '--add', 'sata', '--controller', 'IntelAhci', '--portcount', '2');
    attach(0, disk);
    return /^UUID="([^"]+)"/m.exec(vbox('showvminfo', 'bench', '--machinereadable'))[1];
  }
  /** Takes a port and an image; attaches it to the VM (powered off) as a hard disk. */
  function attach(port, file) {
    vbox(
      'storageattach',
      'bench',
      '--storagectl',
      'SATA',
      '--port',
      String(port),
      '--device',
      '0',
      '--type',
      'hdd',
      '--medium',
      file,
    );
  }
  return { janitor, work, groups, btrfs, at, images, disk, vboxHome, vboxEnv, vbox, makeVm, attach };
}
