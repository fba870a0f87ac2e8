import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Service, ServiceConfig } from 'node-windows';
import { ServiceError } from './service-error.js';
import type { ServiceReport } from './service-options.js';
import {
  makeWindowsLauncher,
  makeWindowsServiceConfig,
  WINDOWS_LAUNCHER,
  type WindowsServiceOptions,
  windowsServiceDir,
} from './windows-service-config.js';

/** node-windows' `Service` class, or a stand-in with its events (tests: node-windows runs on Windows only). */
export type ServiceClass = new (config: ServiceConfig) => Service;

/** node-windows throws on import anywhere but Windows, so it is loaded only when used. */
async function loadServiceClass(): Promise<ServiceClass> {
  const mod = (await import('node-windows')) as unknown as {
    Service?: ServiceClass;
    default?: { Service: ServiceClass };
  };
  return (mod.Service ?? mod.default?.Service) as ServiceClass;
}

function make(o: WindowsServiceOptions, Class: ServiceClass): Service {
  const service = new Class(makeWindowsServiceConfig(o));
  service.logOnAs.account = o.logOnAs.account;
  service.logOnAs.password = o.logOnAs.password;
  if (o.logOnAs.domain !== undefined) service.logOnAs.domain = o.logOnAs.domain;
  service.workingdirectory = windowsServiceDir(o);
  return service;
}

function failed(action: string, detail: unknown): ServiceError {
  return new ServiceError('INTERNAL', `the Windows service could not be ${action}: ${String(detail)}`, {
    hint: 'Run it from an elevated (administrator) prompt; see the Application event log for vrs-agent.',
    cause: detail,
  });
}

/**
 * Takes the Windows options (and, for tests, node-windows' Service class); writes the launcher into the
 * service directory and registers a service `vrs-agent` through node-windows (winsw), logging on as the
 * VMs' owner, then starts it. An already installed service is started. Returns what it did. Throws
 * ServiceError INTERNAL (node-windows reported an error or an invalid installation). It cannot run but on
 * Windows, as administrator: the tests check the constructor options and the event handling only.
 */
export async function installWindowsService(o: WindowsServiceOptions, Class?: ServiceClass): Promise<ServiceReport> {
  const dir = windowsServiceDir(o);
  await mkdir(dir, { recursive: true });
  const launcher = join(dir, WINDOWS_LAUNCHER);
  await writeFile(launcher, makeWindowsLauncher(o.mainPath));
  const service = make(o, Class ?? (await loadServiceClass()));
  await new Promise<void>((resolve, reject) => {
    service.on('install', () => service.start());
    service.on('alreadyinstalled', () => service.start());
    service.on('start', () => resolve());
    service.on('invalidinstallation', () =>
      reject(failed('installed', 'an earlier installation is incomplete; uninstall it first')),
    );
    service.on('error', (error: unknown) => reject(failed('installed', error)));
    service.install(dir);
  });
  return {
    manager: 'windows',
    file: launcher,
    commands: [
      ['node-windows', 'install', dir],
      ['node-windows', 'start'],
    ],
    changed: true,
  };
}

/**
 * Takes the Windows options (and the Service class); stops and unregisters the service through
 * node-windows and removes the service directory. Returns `changed: false` when no service was installed.
 * Throws ServiceError INTERNAL. Windows only, as `installWindowsService`.
 */
export async function uninstallWindowsService(o: WindowsServiceOptions, Class?: ServiceClass): Promise<ServiceReport> {
  const dir = windowsServiceDir(o);
  const service = make(o, Class ?? (await loadServiceClass()));
  const changed = await new Promise<boolean>((resolve, reject) => {
    service.on('uninstall', () => resolve(true));
    service.on('alreadyuninstalled', () => resolve(false));
    service.on('error', (error: unknown) => reject(failed('uninstalled', error)));
    service.uninstall();
  });
  await rm(dir, { recursive: true, force: true });
  return { manager: 'windows', file: join(dir, WINDOWS_LAUNCHER), commands: [['node-windows', 'uninstall']], changed };
}
