import { isAbsolute } from 'node:path';
import { ServiceError } from './service-error.js';
import type { ServiceRunner } from './service-runner.js';

/** What a service definition needs, on every OS. */
export interface ServiceOptions {
  /** The node binary the service runs (usually `process.execPath`). */
  nodePath: string;
  /** The agent's entry point, `dist/cli/main.js`; the service runs `<node> <main> run`. */
  mainPath: string;
  /**
   * The config directory the service uses (`VRS_AGENT_CONFIG`): that of the user who enrolled, not
   * root's (an installer run through sudo would otherwise find /root/.config).
   */
  configDir: string;
  /** The user the service runs as: the owner of the VMs (VirtualBox VMs are per user). */
  user: string;
  /** A prefix for the files the installer writes and removes (tests use a temporary directory); default `/`. */
  root?: string;
  /** Runs systemctl/launchctl; default the real one. */
  runner?: ServiceRunner;
  /** Where the templates are; default the repository's `infra/` (ship it beside `dist/` when packaging). */
  templateDir?: string;
}

/** What installing or uninstalling did: the service file and every command run, in order. */
export interface ServiceReport {
  manager: 'systemd' | 'launchd' | 'windows';
  file: string;
  commands: string[][];
  /** For uninstall: whether there was anything to remove. */
  changed: boolean;
}

/**
 * Takes options; throws ServiceError INVALID_INPUT when a path is not absolute or holds a character the
 * service files cannot carry safely (a control character; for systemd also `"`, `\`, `$` and `%`, which
 * its quoting would give another meaning), or when the user is not a valid user name.
 */
export function checkServiceOptions(o: ServiceOptions, strict: boolean): void {
  const bad = (text: string) =>
    [...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || (strict && '"\\$%'.includes(c)));
  for (const [label, path] of [
    ['node path', o.nodePath],
    ['main path', o.mainPath],
    ['config directory', o.configDir],
  ] as const) {
    if (!isAbsolute(path))
      throw new ServiceError('INVALID_INPUT', `the ${label} ${JSON.stringify(path)} is not absolute`);
    if (bad(path))
      throw new ServiceError(
        'INVALID_INPUT',
        `the ${label} ${JSON.stringify(path)} holds a character the service file cannot carry`,
        {
          hint: 'Install the agent (and node) under a path without quotes, backslashes, $ or %.',
        },
      );
  }
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/.test(o.user))
    throw new ServiceError('INVALID_INPUT', `${JSON.stringify(o.user)} is not a user name`);
}
