import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSystemdUnit, SYSTEMD_UNIT, SYSTEMD_UNIT_DIR } from './render-systemd-unit.js';
import type { ServiceOptions, ServiceReport } from './service-options.js';
import { runChecked, runServiceCommand } from './service-runner.js';
import { writeServiceFile } from './write-service-file.js';

const unitPath = (root = '/') => join(root, SYSTEMD_UNIT_DIR, SYSTEMD_UNIT);

/**
 * Takes the service options; writes the unit to `/etc/systemd/system/vrs-agent.service` (under `root`),
 * runs `systemctl daemon-reload` and `systemctl enable --now vrs-agent.service`. Over an existing unit with
 * other content it runs `enable` and `restart` instead, so the new unit takes effect. Returns what it
 * wrote and ran. Throws ServiceError (INVALID_INPUT, FORBIDDEN without root, INTERNAL when systemctl fails).
 */
export async function installSystemdService(o: ServiceOptions): Promise<ServiceReport> {
  const run = o.runner ?? runServiceCommand;
  const file = unitPath(o.root);
  const text = await renderSystemdUnit(o);
  const before = await writeServiceFile(file, text);
  const commands =
    before === null || before === text
      ? [['daemon-reload'], ['enable', '--now', SYSTEMD_UNIT]]
      : [['daemon-reload'], ['enable', SYSTEMD_UNIT], ['restart', SYSTEMD_UNIT]];
  for (const args of commands) await runChecked(run, 'systemctl', args);
  return { manager: 'systemd', file, commands: commands.map((c) => ['systemctl', ...c]), changed: before !== text };
}

/**
 * Takes the options (`root`, `runner`); when the unit exists, runs `systemctl disable --now
 * vrs-agent.service`, removes the unit and runs `systemctl daemon-reload`. Without a unit it does nothing
 * (`changed: false`). Throws ServiceError as `installSystemdService` does.
 */
export async function uninstallSystemdService(o: Pick<ServiceOptions, 'root' | 'runner'>): Promise<ServiceReport> {
  const run = o.runner ?? runServiceCommand;
  const file = unitPath(o.root);
  const exists = await readFile(file).then(
    () => true,
    () => false,
  );
  if (!exists) return { manager: 'systemd', file, commands: [], changed: false };
  await runChecked(run, 'systemctl', ['disable', '--now', SYSTEMD_UNIT]);
  await rm(file);
  await runChecked(run, 'systemctl', ['daemon-reload']);
  return {
    manager: 'systemd',
    file,
    commands: [
      ['systemctl', 'disable', '--now', SYSTEMD_UNIT],
      ['systemctl', 'daemon-reload'],
    ],
    changed: true,
  };
}
