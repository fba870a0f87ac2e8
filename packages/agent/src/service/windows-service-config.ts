import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ServiceConfig } from 'node-windows';
import { CONFIG_DIR_VAR } from '../env.js';
import type { ServiceOptions } from './service-options.js';

/** The Windows service's display name; node-windows derives the id `vrsagent` (and `vrsagent.exe`) from it. */
export const WINDOWS_SERVICE_NAME = 'vrs-agent';
/** The launcher node-windows runs, written into the service directory. */
export const WINDOWS_LAUNCHER = 'vrs-agent-service.mjs';

/** The account the Windows service logs on as: the VMs' owner (VirtualBox VMs are per user). */
export interface WindowsAccount {
  account: string;
  /** Default: node-windows' (the computer name, i.e. a local account). */
  domain?: string;
  /** Handed to node-windows only; never logged. */
  password: string;
}

/** What a Windows service needs beyond the common options. */
export interface WindowsServiceOptions extends Omit<ServiceOptions, 'user' | 'root' | 'runner' | 'templateDir'> {
  logOnAs: WindowsAccount;
  /** Where the launcher and node-windows' `daemon\` folder (winsw.exe, its XML, logs) go; default `<configDir>\service`. */
  serviceDir?: string;
}

/** Takes the options; returns the service directory. */
export function windowsServiceDir(o: Pick<WindowsServiceOptions, 'configDir' | 'serviceDir'>): string {
  return o.serviceDir ?? join(o.configDir, 'service');
}

/**
 * Takes the agent's main.js; returns the launcher's source. node-windows 0.1.14 forks its script with no
 * arguments (lib/wrapper.js: `fork(script, opts)`), so the service cannot run `main.js run` directly: the
 * launcher puts `run` into argv and imports main.js.
 */
export function makeWindowsLauncher(mainPath: string): string {
  return [
    '// Written by `vrs-agent service install`: node-windows forks its script without arguments,',
    '// so this launcher runs `vrs-agent run`.',
    "process.argv.splice(2, 0, 'run');",
    `await import(${JSON.stringify(pathToFileURL(mainPath).href)});`,
    '',
  ].join('\n');
}

/**
 * Takes the options; returns the node-windows `Service` constructor options: the launcher as the script,
 * `VRS_AGENT_CONFIG` in its environment, restarts after 5 s (growing 25% each time, at most 5 within a
 * minute), no `--harmony`. `execPath` is passed, but node-windows 0.1.14 writes `process.execPath` of the
 * installing node into winsw's XML whatever it says: install with the node the service should use.
 */
export function makeWindowsServiceConfig(o: WindowsServiceOptions): ServiceConfig {
  return {
    name: WINDOWS_SERVICE_NAME,
    description: 'vrs-agent: the VirtualBox Remote Snapshots host agent',
    script: join(windowsServiceDir(o), WINDOWS_LAUNCHER),
    execPath: o.nodePath,
    nodeOptions: [],
    env: [{ name: CONFIG_DIR_VAR, value: o.configDir }],
    wait: 5,
    grow: 0.25,
    maxRestarts: 5,
  };
}
