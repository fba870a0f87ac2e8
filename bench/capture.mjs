// The freeze window of the capture providers on the VirtualBox double: the guest-visible pause of a
// reflink capture of a two-disk VM on real btrfs (loop device; needs root), and the cost of a
// vbox-transient capture (take + delete/merge), against a VBoxManage round trip measured in the same run.
// Usage: node bench/capture.mjs [--runs 20]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CaptureJournal, capture } from '@vrs/capture';
import { createMedium, createVm, setExtraData, startVm, storageAttach, storageCtl, VirtualBox } from '@vrs/virtualbox';
import { makeDoubleHome } from '@vrs/virtualbox/test-double';
import { record } from './lib/record.mjs';
import { timed } from './lib/time.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);
const base = mkdtempSync(join(tmpdir(), 'vrs-bench-capture-'));
execFileSync('truncate', ['-s', '6G', join(base, 'fs.img')]);
execFileSync('mkfs.btrfs', ['-q', join(base, 'fs.img')]);
execFileSync('mkdir', ['-p', join(base, 'mnt')]);
execFileSync('mount', ['-o', 'loop', join(base, 'fs.img'), join(base, 'mnt')]);
const double = await makeDoubleHome();
process.env.VRS_VBOX_DOUBLE_HOME = double.home;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
try {
  const vbox = await VirtualBox.connect({ binary: join(double.bin, 'VBoxManage') });
  const { uuid: vm, settingsFile } = await createVm(vbox.run, { name: 'bench', basefolder: join(base, 'mnt', 'VMs') });
  await storageCtl(vbox.run, vm, { name: 'SATA', add: 'sata', portcount: 2 });
  for (const i of [0, 1]) {
    const file = join(settingsFile, '..', `disk${i}.vdi`);
    await createMedium(vbox.run, { filename: file, sizeMiB: 2048, format: 'VDI' });
    await storageAttach(vbox.run, vm, { storagectl: 'SATA', port: i, device: 0, type: 'hdd', medium: file });
  }
  await setExtraData(vbox.run, vm, 'vrs-double/guest-writer', 'rate=0,seed=1,blocks=0-255');
  await startVm(vbox.run, vm);
  await new Promise((r) => setTimeout(r, 3000)); // let the writer allocate 256 MiB per disk
  const journal = new CaptureJournal(join(base, 'capture.journal'));
  const roundTrips = [];
  for (let i = 0; i < runs; i++) roundTrips.push((await timed(() => vbox.run(['--version'])))[1] * 1000);
  const pauses = [];
  for (let i = 0; i < runs; i++) {
    const taken = await capture(
      vbox,
      vm,
      { job: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, workDir: join(base, 'mnt', 'work', String(i)) },
      journal,
    );
    pauses.push(taken.pausedMs);
    await taken.release();
  }
  const transient = [];
  for (let i = 0; i < Math.min(runs, 10); i++) {
    const [, seconds] = await timed(async () => {
      const taken = await capture(
        vbox,
        vm,
        {
          job: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
          workDir: join(base, 'work-t'),
          method: 'vbox-transient',
        },
        journal,
      );
      await taken.release();
    });
    transient.push(seconds * 1000);
  }
  const r = {
    roundTripMs: median(roundTrips),
    reflinkPauseMs: median(pauses),
    reflinkPauseMaxMs: Math.max(...pauses),
    transientMs: median(transient),
  };
  console.log(r);
  record(
    'capture',
    { runs, ...r },
    `## Capture freeze windows (\`node bench/capture.mjs\`)

Command: \`node bench/capture.mjs --runs ${runs}\` (root: btrfs on a loop device), on the VirtualBox test double with a
two-disk VM whose guest writer runs flat out over 256 MiB of each disk. Medians of ${runs} runs.

| what | ms |
|---|---|
| one VBoxManage round trip of the double (\`--version\`), the baseline | ${r.roundTripMs.toFixed(0)} |
| reflink capture: guest-visible pause (pause returned → resume returned), 2 disks | **${r.reflinkPauseMs.toFixed(0)}** (max ${r.reflinkPauseMaxMs.toFixed(0)}) |
| vbox-transient capture, take + release (delete/merge) | ${r.transientMs.toFixed(0)} |

The pause is the clone time plus one \`controlvm resume\` round trip; against the double that round trip is a
Node start. Pause minus one round trip = ${(r.reflinkPauseMs - r.roundTripMs).toFixed(0)} ms of cloning. The VM's files are written back
(fdatasync) just before the pause, so the clones flush only what the guest wrote since: without that, 262 ms
(max 564) in an A/B run on 2026-12-02, against 123 ms (max 195) with it.`,
  );
} finally {
  await double.cleanup();
  execFileSync('umount', ['-l', join(base, 'mnt')]);
  rmSync(base, { recursive: true, force: true });
}
