import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installService, uninstallService } from '../src/service/install-service.js';
import { renderSystemdUnit } from '../src/service/render-systemd-unit.js';
import { ServiceError } from '../src/service/service-error.js';
import type { CommandResult, ServiceRunner } from '../src/service/service-runner.js';
import { makeTempDir } from './support/temp-dir.js';

const dir = makeTempDir('systemd');
let n = 0;
const options = (extra: Partial<Parameters<typeof installService>[0]> = {}) => ({
  nodePath: '/usr/local/lib/node v20/bin/node',
  mainPath: '/opt/vrs/agent/dist/cli/main.js',
  configDir: '/home/ana/.config/vrs-agent',
  user: 'ana',
  platform: 'linux' as const,
  root: join(dir, `root${n++}`),
  ...extra,
});

/** A runner that records argv and answers from a script (default: success). */
function recorder(answer: (args: readonly string[]) => Partial<CommandResult> = () => ({})) {
  const calls: string[][] = [];
  const runner: ServiceRunner = async (command, args) => {
    calls.push([command, ...args]);
    return { exitCode: 0, stdout: '', stderr: '', ...answer(args) };
  };
  return { calls, runner };
}

const UNIT = `# vrs-agent, the VirtualBox Remote Snapshots host agent, as a systemd system service.
# \`vrs-agent service install\` fills in the {{...}} placeholders and writes this file to
# /etc/systemd/system/vrs-agent.service; \`vrs-agent service uninstall\` removes it.
[Unit]
Description=vrs-agent (VirtualBox Remote Snapshots host agent)
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
# VirtualBox VMs belong to a user (their VirtualBox.xml and VBoxSVC): the agent runs as that user.
User=ana
Environment="VRS_AGENT_CONFIG=/home/ana/.config/vrs-agent"
ExecStart="/usr/local/lib/node v20/bin/node" "/opt/vrs/agent/dist/cli/main.js" run
Restart=always
RestartSec=5
# Stop only the agent itself: VBoxSVC and the VMs it starts are spawned from the agent's VBoxManage calls,
# so they live in this service's cgroup, and must outlive an agent restart or upgrade.
KillMode=process

[Install]
WantedBy=multi-user.target
`;

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('the systemd service', () => {
  it('renders the unit from infra/systemd exactly, paths with spaces quoted', async () => {
    expect(await renderSystemdUnit(options())).toBe(UNIT);
  });

  it('passes systemd-analyze verify without a word', () => {
    const root = makeTempDir('systemd-verify');
    const main = join(root, 'agent dir', 'main.js');
    execFileSync('mkdir', ['-p', join(root, 'agent dir')]);
    writeFileSync(main, '');
    const unit = join(root, 'vrs-agent.service');
    return renderSystemdUnit(options({ nodePath: process.execPath, mainPath: main, user: 'root' })).then((text) => {
      writeFileSync(unit, text);
      // It exits 0 even on unknown keys or bad values, but says so on stderr.
      const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
      expect(verify.status).toBe(0);
      expect(`${verify.stdout}${verify.stderr}`).toBe('');
    });
  });

  it('install writes the unit 0644 and runs daemon-reload then enable --now; uninstall undoes exactly that', async () => {
    const o = options();
    const { calls, runner } = recorder();
    const report = await installService({ ...o, runner });
    const unit = join(o.root, 'etc/systemd/system/vrs-agent.service');
    expect(report).toEqual({
      manager: 'systemd',
      file: unit,
      commands: [
        ['systemctl', 'daemon-reload'],
        ['systemctl', 'enable', '--now', 'vrs-agent.service'],
      ],
      changed: true,
    });
    expect(calls).toEqual(report.commands);
    expect(readFileSync(unit, 'utf8')).toBe(UNIT);
    expect(statSync(unit).mode & 0o777).toBe(0o644);
    expect(filesUnder(o.root)).toEqual([unit]);

    calls.length = 0;
    const removed = await uninstallService({ ...o, runner });
    expect(calls).toEqual([
      ['systemctl', 'disable', '--now', 'vrs-agent.service'],
      ['systemctl', 'daemon-reload'],
    ]);
    expect(removed.changed).toBe(true);
    expect(filesUnder(o.root)).toEqual([]);

    calls.length = 0;
    expect((await uninstallService({ ...o, runner })).changed).toBe(false);
    expect(calls).toEqual([]);
  });

  it('installing again with another unit restarts the service so that the new one takes effect', async () => {
    const o = options();
    const { calls, runner } = recorder();
    await installService({ ...o, runner });
    calls.length = 0;
    await installService({ ...o, runner });
    expect(calls).toEqual([
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', '--now', 'vrs-agent.service'],
    ]);
    calls.length = 0;
    await installService({ ...o, runner, mainPath: '/opt/vrs/agent-2/dist/cli/main.js' });
    expect(calls).toEqual([
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', 'vrs-agent.service'],
      ['systemctl', 'restart', 'vrs-agent.service'],
    ]);
  });

  it('a failing systemctl is a ServiceError with its stderr; "access denied" is FORBIDDEN with the sudo hint', async () => {
    const o = options();
    const failing = recorder((args) =>
      args[0] === 'enable'
        ? { exitCode: 1, stderr: 'Failed to enable unit: Unit file vrs-agent.service is masked.\n' }
        : {},
    );
    const error = await installService({ ...o, runner: failing.runner }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      code: 'INTERNAL',
      argv: ['systemctl', 'enable', '--now', 'vrs-agent.service'],
      stderrLines: ['Failed to enable unit: Unit file vrs-agent.service is masked.'],
    });
    const denied = recorder(() => ({ exitCode: 1, stderr: 'Failed to reload daemon: Access denied\n' }));
    const forbidden = await installService({ ...options(), runner: denied.runner }).catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', hint: expect.stringContaining('sudo') });
  });

  it('refuses values the unit cannot carry, before writing anything', async () => {
    for (const bad of [
      { mainPath: 'dist/cli/main.js' },
      { mainPath: '/opt/vrs "x"/main.js' },
      { configDir: '/home/ana/100%' },
      { nodePath: '/opt/$HOME/node' },
      { user: 'ana; rm -rf /' },
    ]) {
      const o = options(bad);
      const { calls, runner } = recorder();
      await expect(installService({ ...o, runner })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(calls).toEqual([]);
    }
  });
});
