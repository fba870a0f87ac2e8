#!/usr/bin/env node
// The README's first command: a vrs server on embedded defaults, an enrolled agent, and a sample VM on the
// VirtualBox test double whose guest keeps writing. It snapshots the running VM, lets the guest change the
// disk, snapshots again, restores the first snapshot, checks the disk against the archive with borg alone,
// and prints the figures. Every step uses the real commands (vrs-server, vrs-agent, vrs, VBoxManage).
//
//   node infra/demo/demo.mjs [--keep] [--size-mib 1024]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeMixedVdi } from '../../bench/lib/mixed-vdi.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const sizeMiB = Number(args.includes('--size-mib') ? args[args.indexOf('--size-mib') + 1] : 1024) || 1024;
const usedMiB = Math.max(16, Math.round(sizeMiB / 4));
const work = join(root, '.work', 'demo');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const bin = {
  server: join(root, 'packages/repository-server/dist/cli/main.js'),
  agent: join(root, 'packages/agent/dist/cli/main.js'),
  vrs: join(root, 'apps/cli/dist/main.js'),
  vboxDir: join(root, 'packages/virtualbox/test-double/bin'),
};
const env = {
  ...process.env,
  PATH: `${bin.vboxDir}${delimiter}${process.env.PATH}`,
  VRS_VBOX_DOUBLE_HOME: join(work, 'virtualbox'),
  VRS_AGENT_CONFIG: join(work, 'agent'),
  VRS_CLI_CONFIG: join(work, 'cli'),
  LANG: 'C',
};
mkdirSync(env.VRS_VBOX_DOUBLE_HOME, { recursive: true });
const children = [];
const started = Date.now();
const say = (text) => process.stdout.write(`\x1b[1m==> ${text}\x1b[0m\n`);

/** Runs a command to its end; returns stdout. Exits the demo with its stderr when it fails. */
function run(cmd, argv, o = {}) {
  const r = spawnSync(cmd, argv, { env, encoding: 'utf8', input: o.input, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 && !o.allowFail) fail(`${cmd} ${argv.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
const node = (script, argv, o) => run(process.execPath, [script, ...argv], o);
const vbox = (...argv) => run('VBoxManage', argv);
const vrs = (...argv) => JSON.parse(node(bin.vrs, [...argv, '--json']));

function fail(message) {
  process.stderr.write(`demo failed: ${message}\n`);
  stop();
  process.exit(1);
}
function stop() {
  for (const child of children) child.kill('SIGTERM');
  spawnSync('VBoxManage', ['controlvm', 'demo-vm', 'poweroff'], { env });
  if (!keep) rmSync(work, { recursive: true, force: true });
}
process.on('SIGINT', () => fail('interrupted'));

/** Starts a long-running process; its output goes to a log file in the demo folder. */
function background(name, script, argv) {
  const out = join(work, `${name}.log`);
  const child = spawn(process.execPath, [script, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (d) => (text += d));
  child.stderr.on('data', (d) => (text += d));
  child.on('exit', (code) => {
    if (code && code !== 143 && code !== 0) fail(`${name} exited ${code}; its log:\n${text.slice(-3000)}`);
  });
  children.push(child);
  return { log: () => text, out };
}

async function until(what, check, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await check();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`timed out waiting for ${what}`);
}

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

say('a vrs server with its data in .work/demo/server (TLS certificate, catalog, borg repositories)');
const data = join(work, 'server');
const init = node(bin.server, ['init', '--data', data]);
const password = /admin password \(shown once\): (\S+)/.exec(init)?.[1] ?? fail('no admin password in the init output');
const fingerprint = /certificate (SHA256:\S+)/.exec(init)?.[1];
const port = await freePort();
const server = background('server', bin.server, ['start', '--data', data, '--listen', `127.0.0.1:${port}`]);
await until('the server to listen', () => server.log().includes('vrs-server listening'));
const url = `wss://localhost:${port}`;

say(
  `a VM on the VirtualBox test double: a ${sizeMiB} MiB disk holding ${usedMiB} MiB of data; its guest rewrites blocks 0-15, 10 a second`,
);
const disk = join(work, 'vms', 'demo-vm', 'demo-vm.vdi');
mkdirSync(join(work, 'vms', 'demo-vm'), { recursive: true });
await makeMixedVdi(disk, { diskSize: sizeMiB * 1048576, allocated: usedMiB * 1048576, seed: 7 });
vbox('createvm', '--name', 'demo-vm', '--ostype', 'Ubuntu_64', '--basefolder', join(work, 'vms'), '--register');
vbox('storagectl', 'demo-vm', '--name', 'SATA', '--add', 'sata', '--controller', 'IntelAhci', '--portcount', '1');
vbox(
  'storageattach',
  'demo-vm',
  '--storagectl',
  'SATA',
  '--port',
  '0',
  '--device',
  '0',
  '--type',
  'hdd',
  '--medium',
  disk,
);
vbox('setextradata', 'demo-vm', 'vrs-double/guest-writer', 'rate=10,seed=11,blocks=0-15');
vbox('startvm', 'demo-vm', '--type', 'headless');

say('enroll this machine as a host, and run the agent');
const token = node(bin.server, ['token', 'create', '--data', data, '--host', 'demo-laptop', '--json']);
const enrollLine = JSON.parse(token).command.replace(/wss:\/\/[^ ]+/, url);
node(bin.agent, enrollLine.split(' ').slice(1));
background('agent', bin.agent, ['run']);
node(bin.vrs, ['login', '--server', url, '--user', 'admin', '--fingerprint', fingerprint, '--password-stdin'], {
  input: `${password}\n`,
});
await until('the agent to report the VM', () => vrs('vms').find((v) => v.name === 'demo-vm'));
// The default policy snapshots every VM at each full hour; one landing among the demo's own would make its
// `vrs snapshot` wait or refuse. The demo VM gets its own policy, the default's retention and no schedule.
say("demo-vm takes only the demo's snapshots: its schedule is set to never (30 February)");
vrs('policy', 'set', 'demo-vm', '--schedule', '0 0 30 2 *');

const figures = [];
const timed = (label, argv) => {
  const t0 = Date.now();
  const job = vrs(...argv);
  if (job.state !== 'succeeded') fail(`${label}: ${job.state} ${JSON.stringify(job.error)}`);
  figures.push({ step: label, seconds: (Date.now() - t0) / 1000, bytes: job.progress.bytesSent, job });
  process.stdout.write(`    ${label}: ${seconds(Date.now() - t0)}, ${mib(job.progress.bytesSent)} on the wire\n`);
  return job;
};
say('snapshot 1 of the running VM');
const first = timed('first snapshot (everything is new)', ['snapshot', 'demo-vm', '--label', 'first', '--wait']);
say('the guest keeps writing for 3 s');
await new Promise((r) => setTimeout(r, 3000));
say('snapshot 2: only the blocks the guest changed travel');
timed('second snapshot', ['snapshot', 'demo-vm', '--label', 'second', '--wait']);
say('restore snapshot 1 in place (the agent shuts the VM down first)');
timed('restore of snapshot 1', ['restore', 'demo-vm', first.snapshotId, '--power-off', '--wait']);

say('check: rebuild snapshot 1 from the borg archive alone (README, "Recover without vrs") and compare');
const snapshots = vrs('snapshots', 'demo-vm');
const archive = snapshots.find((s) => s.id === first.snapshotId).archive;
const hostId = vrs('hosts')[0].id;
const recover = readFileSync(join(root, 'README.md'), 'utf8').match(/<!-- recover:begin -->\n```sh\n([\s\S]*?)```/)[1];
const rebuilt = join(work, 'rebuilt');
mkdirSync(rebuilt);
run('bash', [
  '-c',
  `cd ${rebuilt} && export BORG_BASE_DIR=${join(data, 'borg')} REPO=${join(data, 'repos', `host-${hostId}`)} ARCHIVE=${archive} PASSFILE=${join(data, 'secrets', `host-${hostId}.passphrase`)}\n${recover}`,
]);
const medium = snapshots.find((s) => s.id === first.snapshotId).disks.find((d) => d.role === 'disk').uuid;
const restoredSum = sha256(disk);
const archivedSum = sha256(join(rebuilt, `${medium}.img`));
if (restoredSum !== archivedSum) fail(`the restored disk (${restoredSum}) differs from the archive (${archivedSum})`);
process.stdout.write(`    restored disk sha256 ${restoredSum}\n    borg-only rebuild    ${archivedSum}  (equal)\n`);

say('figures');
for (const f of figures)
  process.stdout.write(
    `    ${f.step.padEnd(36)} ${seconds(f.seconds * 1000).padStart(7)}  ${mib(f.bytes).padStart(10)} on the wire\n`,
  );
process.stdout.write(
  `    disk ${sizeMiB} MiB with ${usedMiB} MiB of data; demo took ${seconds(Date.now() - started)}${keep ? `; files kept in ${work}` : ''}\n`,
);
stop();
