// Where the seconds of a vrs snapshot and restore go: the same setting as bench/vrs-vs-seed.mjs (server on the
// lab's storage side, agent on the host side, the VM on the double, its folder a btrfs subvolume), with debug logs
// and a log of every VBoxManage call; prints, per step, the merged timeline of the agent's and the server's log
// lines (borg commands with their start and end), the VBoxManage calls, and the CPU seconds of each side.
// Steps, each from cold caches over `wifi` (the initial upload goes over `lan` to save time): a snapshot with 1% of
// the blocks changed, its restore onto the first image (newest: from the mirror), a second 1% snapshot, and the
// restore of the first one again (older: borg extract). A diagnostic: it prints and records nothing.
// With --snapshots N, N more snapshots (0.2% changed each) follow, then that older restore once more.
// Usage: node bench/vrs-timeline.mjs [--gib 3.5] [--snapshots 0] [--dir DIR]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeBenchSetting, say } from './lib/bench-vm.mjs';
import { makeCold } from './lib/cold.mjs';
import { cpuDelta, cpuReader } from './lib/cpu-group.mjs';
import { shellQuote as q } from './lib/janitor.mjs';
import { LAB_SCRIPT, withLab } from './lib/lab.mjs';
import { changeBlocks } from './lib/mixed-vdi.mjs';
import { cloneFile } from './lib/seed.mjs';
import { BIN, startVrsStack, until } from './lib/vrs-stack.mjs';

const { values } = parseArgs({
  options: {
    gib: { type: 'string', default: '3.5' },
    snapshots: { type: 'string', default: '0' },
    dir: { type: 'string' },
  },
});
const more = Number(values.snapshots);
if (!(more >= 0 && more <= 60)) throw new Error('--snapshots takes 0 to 60');
const gib = Number(values.gib);
if (!(gib >= 0.1 && gib <= 6)) throw new Error('--gib takes 0.1 to 6');
const setting = makeBenchSetting({
  name: 'timeline',
  gib,
  cacheDir: values.dir,
  groups: ['agent', 'double', 'server'],
});
const { janitor, work, groups, images, disk, vboxHome } = setting;
const readCpu = cpuReader(groups);
const cold = makeCold([
  ['borg', '--version'],
  [process.execPath, BIN.cli, '--version'],
]);
const SKIP = new Set(['time', 'msg', 'level', 'pid', 'hostname', 'name', 'job', 'vm', 'kind', 'module', 'env', 'cwd']);

/** Takes the stack's directory and a time window (ms); returns its log lines and VBoxManage calls, in order. */
function eventsBetween(dir, from, to) {
  const events = [];
  for (const who of ['agent', 'server']) {
    for (const line of readFileSync(join(dir, `${who}.log`), 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const e = JSON.parse(line);
        if (e.time < from || e.time > to) continue;
        const detail = Object.entries(e).filter(([k]) => !SKIP.has(k));
        const argv = e.argv ? e.argv.slice(1, 2).join(' ') : '';
        events.push({
          at: e.time,
          who,
          what: `${e.msg} ${argv}`.trim(),
          detail: argv ? '' : JSON.stringify(Object.fromEntries(detail)).slice(0, 90),
        });
      } catch {
        // not a log record
      }
    }
  }
  for (const line of readFileSync(join(dir, 'vboxmanage.log'), 'utf8').split('\n')) {
    const [stamp, ...args] = line.split(' ');
    const at = Number(stamp) * 1000;
    if (at >= from && at <= to)
      events.push({ at, who: 'vbox', what: `VBoxManage ${args.slice(0, 2).join(' ')}`, detail: '' });
  }
  return events.sort((a, b) => a.at - b.at);
}

const steps = [];
await withLab({ profile: 'lan' }, async (lab) => {
  janitor.add(`bash ${q(LAB_SCRIPT)} --id ${q(lab.id)} down`, { first: true });
  await setting.makeVm();
  const dir = join(work, 'vrs');
  const stack = await startVrsStack(lab, { dir, vboxHome, groups, trace: true });
  await until(
    'the agent to report the VM',
    async () => (await stack.cli(['vms'])).value?.some((v) => v.name === 'bench'),
    120_000,
  );
  await stack.cli(['policy', 'set', 'bench', '--schedule', '0 0 1 1 *']);
  await stack.settle();
  say('initial snapshot over lan …');
  await stack.job(['snapshot', 'bench', '--label', 'initial']);
  await stack.settle();
  lab.setProfile('wifi');
  const step = async (name, run) => {
    cold();
    const c0 = readCpu();
    const from = Date.now();
    const r = await run();
    const to = Date.now();
    steps.push({ name, from, to, cli: r.seconds, cpu: cpuDelta(c0, readCpu()) });
    say(`${name}: ${r.seconds.toFixed(1)} s`);
    await stack.settle();
    return r.job;
  };
  await changeBlocks(disk, 0.01, 101);
  await cloneFile(disk, images.s1);
  const first = await step('snapshot, 1% changed', () => stack.job(['snapshot', 'bench']));
  await cloneFile(images.base, disk);
  await step('restore of it (newest: mirror) onto the first image', () =>
    stack.job(['restore', 'bench', first.snapshotId]),
  );
  await changeBlocks(disk, 0.01, 102);
  await step('snapshot, 1% more changed', () => stack.job(['snapshot', 'bench']));
  await cloneFile(images.base, disk);
  await step('restore of the first (older: borg extract) onto the first image', () =>
    stack.job(['restore', 'bench', first.snapshotId]),
  );
  if (more > 0) {
    say(`${more} more snapshots (0.2% changed each) …`);
    for (let i = 0; i < more; i++) {
      await changeBlocks(disk, 0.002, 300 + i);
      await stack.job(['snapshot', 'bench']);
      await stack.settle();
    }
    await cloneFile(images.base, disk);
    await step(`restore of the first again, with ${more + 3} snapshots`, () =>
      stack.job(['restore', 'bench', first.snapshotId]),
    );
  }
  await stack.stop();
  for (const s of steps) {
    console.log(`\n## ${s.name}: ${s.cli.toFixed(2)} s by the CLI; CPU s ${JSON.stringify(s.cpu)}`);
    let previous = s.from;
    for (const e of eventsBetween(dir, s.from, s.to)) {
      console.log(
        `${`+${((e.at - previous) / 1000).toFixed(2)}`.padStart(7)}  ${e.who.padEnd(6)} ${e.what.padEnd(44)} ${e.detail}`,
      );
      previous = e.at;
    }
    console.log(`${`+${((s.to - previous) / 1000).toFixed(2)}`.padStart(7)}  cli    returned`);
  }
});
janitor.run();
