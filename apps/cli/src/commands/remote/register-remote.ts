import type { Command } from 'commander';
import { runPin, runPrune, runRestore, runSnapshot } from './actions.js';
import { runHosts, runJobs, runSnapshots, runVms } from './listings.js';
import { runLogin, runLogout } from './login.js';
import { runPolicySet, runPolicyShow } from './policy.js';

type Run = (...args: never[]) => Promise<number>;
const act =
  (run: Run) =>
  async (...args: unknown[]) => {
    process.exitCode = await (run as (...a: unknown[]) => Promise<number>)(...args.slice(0, -1));
  };

/** Takes the `vrs` program; adds the commands that talk to a vrs server. */
export function registerRemote(program: Command): void {
  program
    .command('login')
    .description('log in to a vrs server (the password is read from stdin)')
    .requiredOption('--server <url>', 'wss://HOST:PORT')
    .option('--user <name>', 'the user name', 'admin')
    .option('--fingerprint <sha256>', "the server certificate's SHA256:… fingerprint (else this host's agent's)")
    .option('--password-stdin', 'read the password from stdin without a prompt')
    .option('--json', 'print JSON')
    .action(act(runLogin));
  program.command('logout').description('forget the stored login').action(act(runLogout));
  program.command('hosts').description('enrolled hosts').option('--json', 'print JSON').action(act(runHosts));
  program
    .command('vms')
    .description('VMs, with the age of their last snapshot against their RPO')
    .option('--json', 'print JSON')
    .action(act(runVms));
  program
    .command('snapshots')
    .argument('<vm>', 'VM name or UUID')
    .description("a VM's snapshots, newest first")
    .option('--json', 'print JSON')
    .action(act(runSnapshots));
  program
    .command('snapshot')
    .argument('<vm>', 'VM name or UUID')
    .description('take a snapshot now (the VM may be running)')
    .option('--label <text>', 'a label for people')
    .option('--wait', 'follow the job to its end (exit 1 when it fails)')
    .option('--json', 'print JSON')
    .action(act(runSnapshot));
  program
    .command('restore')
    .argument('<vm>', 'VM name or UUID')
    .argument('<snapshot>', 'snapshot id (or a prefix), archive name, or latest')
    .description('restore a snapshot in place (only differing blocks move), or as a new VM')
    .option('--as-new <name>', 'make a new VM of it instead of replacing the disks')
    .option('--power-off', 'shut a running VM down first (ACPI, then power off after a timeout)')
    .option('--with-config', 'restore the .vbox and NVRAM too')
    .option('--wait', 'follow the job to its end (exit 1 when it fails)')
    .option('--json', 'print JSON')
    .action(act(runRestore));
  program
    .command('jobs')
    .description('recent jobs; --follow shows every change live')
    .option('--vm <vm>', 'only this VM')
    .option('--limit <n>', 'how many', '20')
    .option('--follow', 'keep showing changes until interrupted')
    .option('--json', 'print JSON (one object per line with --follow)')
    .action(act(runJobs));
  const policy = program.command('policy').description("a VM's schedule and retention");
  policy.command('show').argument('<vm>').option('--json', 'print JSON').action(act(runPolicyShow));
  policy
    .command('set')
    .argument('<vm>')
    .option('--policy <name>', 'follow this named policy')
    .option('--schedule <cron>', 'when to snapshot, e.g. "0 * * * *"')
    .option('--keep-within <interval>', 'keep everything this recent, e.g. 2H, 7d (none to drop)')
    .option('--hourly <n>')
    .option('--daily <n>')
    .option('--weekly <n>')
    .option('--monthly <n>')
    .option('--yearly <n>')
    .option('--rpo <minutes>', 'how old the last snapshot may get before the VM counts as late')
    .option('--json', 'print JSON')
    .action(act(runPolicySet));
  program
    .command('prune')
    .argument('[vm]', 'VM name or UUID (default: every VM)')
    .description('apply retention now; --dry-run lists exactly what would go')
    .option('--dry-run', 'only list what would be removed')
    .option('--json', 'print JSON')
    .action(act(runPrune));
  for (const [name, pinned] of [
    ['pin', true],
    ['unpin', false],
  ] as const) {
    program
      .command(name)
      .argument('<vm>')
      .argument('<snapshot>')
      .description(pinned ? 'keep a snapshot whatever retention says' : 'let retention apply to a snapshot again')
      .option('--json', 'print JSON')
      .action(act((vm: never, snapshot: never, o: never) => runPin(vm, snapshot, pinned, o)));
  }
}
