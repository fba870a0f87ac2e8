import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { VrsError } from '@vrs/protocol';
import { driverEnv } from './env.js';

/** Where each OS's VirtualBox installer puts VBoxManage. */
export const DEFAULT_PATHS: Record<string, string[]> = {
  linux: ['/usr/bin/VBoxManage', '/usr/local/bin/VBoxManage', '/opt/VirtualBox/VBoxManage'],
  darwin: ['/Applications/VirtualBox.app/Contents/MacOS/VBoxManage', '/usr/local/bin/VBoxManage'],
  win32: ['C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe'],
};

async function executable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/**
 * Takes an optional configured path (and, for tests, the environment); returns VBoxManage's path: the
 * configured one (which must work: a wrong setting is an error, not a reason to guess), else the first on
 * PATH, else the installer's VBOX_MSI_INSTALL_PATH, else the OS's default install path. Throws
 * VBOX_UNAVAILABLE naming where it looked.
 */
export async function locateVBoxManage(configured?: string, env = driverEnv): Promise<string> {
  if (configured) {
    if (await executable(configured)) return configured;
    throw new VrsError('VBOX_UNAVAILABLE', `VBoxManage is not executable at the configured path ${configured}`);
  }
  const name = env.platform === 'win32' ? 'VBoxManage.exe' : 'VBoxManage';
  const candidates = [
    ...env.path
      .split(env.platform === 'win32' ? ';' : delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, name)),
    ...(env.vboxInstallPath ? [join(env.vboxInstallPath, name)] : []),
    ...(DEFAULT_PATHS[env.platform] ?? []),
  ];
  for (const candidate of candidates) if (await executable(candidate)) return candidate;
  throw new VrsError(
    'VBOX_UNAVAILABLE',
    `VBoxManage was not found (looked in PATH and ${(DEFAULT_PATHS[env.platform] ?? []).join(', ')})`,
  );
}
