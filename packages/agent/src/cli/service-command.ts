import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { VrsError } from '@vrs/protocol';
import { Command } from 'commander';
import { getConfigDir } from '../config/get-config-dir.js';
import { installService, uninstallService } from '../service/install-service.js';
import type { ServiceReport } from '../service/service-options.js';

/** Reads one line from stdin. */
async function readLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > 1024) break;
  }
  return text;
}

/** The user whose VMs the service manages: the one who ran sudo, else the current one. */
function vmOwner(given: string | undefined): string {
  return given ?? process.env.SUDO_USER ?? userInfo().username;
}

function describe(report: ServiceReport, verb: string): string {
  return `${verb} the ${report.manager} service: ${report.file}\n${report.commands.map((c) => `  ran: ${c.join(' ')}\n`).join('')}`;
}

/**
 * `vrs-agent service install|uninstall`: runs the agent at boot as a systemd unit (Linux), a launchd daemon
 * (macOS) or a Windows service, as the user who owns the VMs, with this host's config directory.
 */
export function serviceCommand(): Command {
  const service = new Command('service').description('install or remove the agent as a system service');
  const options = (o: { user?: string; configDir?: string }) => ({
    nodePath: process.execPath,
    mainPath: fileURLToPath(new URL('./main.js', import.meta.url)),
    configDir: o.configDir ?? getConfigDir(),
    user: vmOwner(o.user),
  });
  service
    .command('install')
    .description('install and start the service (needs root or Administrator)')
    .option('--user <name>', 'the user who owns the VMs (default: the one who ran sudo)')
    .option('--config-dir <dir>', "the agent's config directory (default: that user's)")
    .action(async (o: { user?: string; configDir?: string }) => {
      const base = options(o);
      if (process.platform !== 'win32') {
        process.stdout.write(describe(await installService(base), 'installed'));
        return;
      }
      // Windows: the service logs on as the VMs' owner (infra/windows/README.md); the password comes from stdin.
      process.stderr.write(`password of ${base.user} (the service logs on as this user): `);
      const password = (await readLine()).replace(/\r?\n$/, '');
      if (!password) throw new VrsError('INVALID_INPUT', 'the service needs the password of the user who owns the VMs');
      process.stdout.write(
        describe(await installService({ ...base, logOnAs: { account: base.user, password } }), 'installed'),
      );
    });
  service
    .command('uninstall')
    .description('stop and remove the service')
    .option('--user <name>', 'the user who owns the VMs')
    .option('--config-dir <dir>', "the agent's config directory")
    .action(async (o: { user?: string; configDir?: string }) => {
      const report = await uninstallService(options(o));
      process.stdout.write(report.changed ? describe(report, 'removed') : 'no vrs-agent service was installed\n');
    });
  return service;
}
