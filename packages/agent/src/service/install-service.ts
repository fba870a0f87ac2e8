import { installLaunchdService, uninstallLaunchdService } from './launchd-service.js';
import { ServiceError } from './service-error.js';
import type { ServiceOptions, ServiceReport } from './service-options.js';
import { installSystemdService, uninstallSystemdService } from './systemd-service.js';
import { installWindowsService, type ServiceClass, uninstallWindowsService } from './windows-service.js';
import type { WindowsAccount } from './windows-service-config.js';

/** Options of `installService`: the common ones, the OS, and what the OS needs. */
export interface InstallServiceOptions extends ServiceOptions {
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** macOS: the log file (default `vrs-agent.log` in the config directory). */
  logFile?: string;
  /** Windows: the account the service logs on as (required there). */
  logOnAs?: WindowsAccount;
  /** Windows: where the launcher and winsw go (default `<configDir>\service`). */
  serviceDir?: string;
  /** Windows, tests: node-windows' Service class. */
  serviceClass?: ServiceClass;
}

/**
 * Takes the options; installs and starts the agent as a service of the OS: a systemd system unit on Linux,
 * a launchd daemon on macOS, a Windows service through node-windows. Returns what it wrote and ran. Throws
 * ServiceError: INVALID_INPUT (an unsupported OS, a bad option, no `logOnAs` on Windows), FORBIDDEN (not
 * root), INTERNAL (the service manager failed).
 */
export async function installService(o: InstallServiceOptions): Promise<ServiceReport> {
  const platform = o.platform ?? process.platform;
  if (platform === 'linux') return installSystemdService(o);
  if (platform === 'darwin') return installLaunchdService(o);
  if (platform === 'win32') return installWindowsService(windowsOptions(o), o.serviceClass);
  return unsupported(platform);
}

/**
 * Takes the options (on Linux and macOS only `root` and `runner` matter); stops the service and removes
 * what `installService` wrote. Returns `changed: false` when nothing was installed. Throws ServiceError.
 */
export async function uninstallService(o: InstallServiceOptions): Promise<ServiceReport> {
  const platform = o.platform ?? process.platform;
  if (platform === 'linux') return uninstallSystemdService(o);
  if (platform === 'darwin') return uninstallLaunchdService(o);
  if (platform === 'win32') return uninstallWindowsService(windowsOptions(o), o.serviceClass);
  return unsupported(platform);
}

function windowsOptions(o: InstallServiceOptions) {
  if (o.logOnAs === undefined)
    throw new ServiceError('INVALID_INPUT', 'a Windows service needs the account of the VMs’ owner to log on as', {
      hint: 'VirtualBox VMs are per user: give that user’s account and password (the password is not stored by vrs).',
    });
  return {
    nodePath: o.nodePath,
    mainPath: o.mainPath,
    configDir: o.configDir,
    logOnAs: o.logOnAs,
    ...(o.serviceDir === undefined ? {} : { serviceDir: o.serviceDir }),
  };
}

function unsupported(platform: string): never {
  throw new ServiceError('INVALID_INPUT', `vrs-agent has no service definition for ${platform}`, {
    hint: 'Run `vrs-agent run` from your own supervisor.',
  });
}
