import type { CommandHandler } from './command-handler.js';
import { formatMediumInfo } from './format-medium-info.js';
import { RUNNINGVMS_STATES } from './machine-state.js';
import { listMedia } from './media-tree.js';
import { ArgProblem, parseArgs } from './parse-args.js';
import { withState } from './with-state.js';

/**
 * `list [--long] [--sorted] vms|runningvms|hdds` (reference §1.1, §1.4): `"name" {uuid}` lines (no
 * escaping), runningvms only for Running/Teleporting/LiveSnapshotting/Paused/TeleportingPausedVM, hdds
 * with children depth first after their parent and a blank line after each medium.
 */
export const handleList: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, {
    options: { '--long': 'flag', '--sorted': 'flag' },
    aliases: { '-l': '--long', '-s': '--sorted' },
  });
  const [what, extra] = parsed.positional;
  if (what === undefined) throw new ArgProblem('Missing subcommand for "list" command.');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  return withState(ctx, async (state) => {
    if (what === 'vms' || what === 'runningvms') {
      let machines = state.machines.filter((m) => what === 'vms' || RUNNINGVMS_STATES.has(m.runtime.state));
      if (parsed.flags.has('--sorted'))
        machines = [...machines].sort((a, b) => (a.config?.name ?? '').localeCompare(b.config?.name ?? ''));
      for (const m of machines) ctx.io.out(`"${m.config?.name ?? '<inaccessible>'}" {${m.uuid}}\n`);
      return 0;
    }
    if (what === 'hdds') {
      for (const { roots, owner } of state.registries()) {
        for (const place of listMedia(roots)) {
          ctx.io.out(
            `${await formatMediumInfo(state, { ...place, ...(owner ? { owner } : {}) }, parsed.flags.has('--long'))}\n`,
          );
        }
      }
      return 0;
    }
    throw new ArgProblem(`Invalid parameter '${what}'`);
  });
};
