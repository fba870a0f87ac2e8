import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LAUNCHD_DIR, LAUNCHD_LABEL, renderLaunchdPlist } from './render-launchd-plist.js';
import type { ServiceOptions, ServiceReport } from './service-options.js';
import { runChecked, runServiceCommand } from './service-runner.js';
import { writeServiceFile } from './write-service-file.js';

const TARGET = `system/${LAUNCHD_LABEL}`;
/** `launchctl bootout` of a job that is not loaded: 3 (ESRCH, older macOS) or 113 ("Could not find specified service"). */
const NOT_LOADED = [3, 113];
const plistPath = (root = '/') => join(root, LAUNCHD_DIR, `${LAUNCHD_LABEL}.plist`);

/**
 * Takes the service options (and a log file); writes the daemon's plist to
 * `/Library/LaunchDaemons/org.vrs.agent.plist` (under `root`), then runs `launchctl enable
 * system/org.vrs.agent` and `launchctl bootstrap system <plist>`. Over an existing plist it first runs
 * `launchctl bootout system/org.vrs.agent` (not loaded is fine), since bootstrap refuses a loaded job.
 * Returns what it wrote and ran. Throws ServiceError (INVALID_INPUT, FORBIDDEN without root, INTERNAL).
 */
export async function installLaunchdService(o: ServiceOptions & { logFile?: string }): Promise<ServiceReport> {
  const run = o.runner ?? runServiceCommand;
  const file = plistPath(o.root);
  const before = await writeServiceFile(file, await renderLaunchdPlist(o));
  const commands: string[][] = [];
  if (before !== null) {
    await runChecked(run, 'launchctl', ['bootout', TARGET], NOT_LOADED);
    commands.push(['launchctl', 'bootout', TARGET]);
  }
  // The plist's path as launchd sees it: without the test root.
  const loaded = join(LAUNCHD_DIR, `${LAUNCHD_LABEL}.plist`);
  for (const args of [
    ['enable', TARGET],
    ['bootstrap', 'system', loaded],
  ]) {
    await runChecked(run, 'launchctl', args);
    commands.push(['launchctl', ...args]);
  }
  return { manager: 'launchd', file, commands, changed: true };
}

/**
 * Takes the options (`root`, `runner`); when the plist exists, runs `launchctl bootout system/org.vrs.agent`
 * (a job that is not loaded is fine) and removes the plist; without one it does nothing. Throws ServiceError.
 */
export async function uninstallLaunchdService(o: Pick<ServiceOptions, 'root' | 'runner'>): Promise<ServiceReport> {
  const run = o.runner ?? runServiceCommand;
  const file = plistPath(o.root);
  const exists = await readFile(file).then(
    () => true,
    () => false,
  );
  if (!exists) return { manager: 'launchd', file, commands: [], changed: false };
  await runChecked(run, 'launchctl', ['bootout', TARGET], NOT_LOADED);
  await rm(file);
  return { manager: 'launchd', file, commands: [['launchctl', 'bootout', TARGET]], changed: true };
}
