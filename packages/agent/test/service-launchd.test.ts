import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installService, uninstallService } from '../src/service/install-service.js';
import { renderLaunchdPlist } from '../src/service/render-launchd-plist.js';
import type { CommandResult, ServiceRunner } from '../src/service/service-runner.js';
import { parsePlist } from './support/parse-plist.js';
import { makeTempDir } from './support/temp-dir.js';

const dir = makeTempDir('launchd');
let n = 0;
const options = (extra: Partial<Parameters<typeof installService>[0]> = {}) => ({
  nodePath: '/opt/homebrew/bin/node',
  mainPath: '/Applications/vrs & co/agent/dist/cli/main.js',
  configDir: '/Users/ana/Library/Preferences/vrs-agent',
  user: 'ana',
  platform: 'darwin' as const,
  root: join(dir, `root${n++}`),
  ...extra,
});

function recorder(answer: (args: readonly string[]) => Partial<CommandResult> = () => ({})) {
  const calls: string[][] = [];
  const runner: ServiceRunner = async (command, args) => {
    calls.push([command, ...args]);
    return { exitCode: 0, stdout: '', stderr: '', ...answer(args) };
  };
  return { calls, runner };
}

const PLIST = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!--
  vrs-agent, the VirtualBox Remote Snapshots host agent, as a launchd daemon.
  \`vrs-agent service install\` fills in the {{...}} placeholders and writes this file to
  /Library/LaunchDaemons/org.vrs.agent.plist; \`vrs-agent service uninstall\` removes it.
  It runs as the user who owns the VMs (UserName): VirtualBox VMs are per user.
-->
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>org.vrs.agent</string>
	<key>UserName</key>
	<string>ana</string>
	<key>ProgramArguments</key>
	<array>
		<string>/opt/homebrew/bin/node</string>
		<string>/Applications/vrs &amp; co/agent/dist/cli/main.js</string>
		<string>run</string>
	</array>
	<key>EnvironmentVariables</key>
	<dict>
		<key>VRS_AGENT_CONFIG</key>
		<string>/Users/ana/Library/Preferences/vrs-agent</string>
	</dict>
	<key>RunAtLoad</key>
	<true/>
	<key>KeepAlive</key>
	<true/>
	<key>ThrottleInterval</key>
	<integer>5</integer>
	<!-- Keep VBoxSVC and the VMs it starts (children of the agent's VBoxManage calls) when the agent stops. -->
	<key>AbandonProcessGroup</key>
	<true/>
	<key>StandardOutPath</key>
	<string>/Users/ana/Library/Preferences/vrs-agent/vrs-agent.log</string>
	<key>StandardErrorPath</key>
	<string>/Users/ana/Library/Preferences/vrs-agent/vrs-agent.log</string>
</dict>
</plist>
`;

const filesUnder = (root: string) =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

describe('the launchd service', () => {
  it('renders the plist from infra/launchd exactly, values XML-escaped', async () => {
    expect(await renderLaunchdPlist(options())).toBe(PLIST);
  });

  it('is a well-formed property list with the daemon launchd needs', async () => {
    expect(parsePlist(await renderLaunchdPlist(options()))).toEqual({
      Label: 'org.vrs.agent',
      UserName: 'ana',
      ProgramArguments: ['/opt/homebrew/bin/node', '/Applications/vrs & co/agent/dist/cli/main.js', 'run'],
      EnvironmentVariables: { VRS_AGENT_CONFIG: '/Users/ana/Library/Preferences/vrs-agent' },
      RunAtLoad: true,
      KeepAlive: true,
      ThrottleInterval: 5,
      AbandonProcessGroup: true,
      StandardOutPath: '/Users/ana/Library/Preferences/vrs-agent/vrs-agent.log',
      StandardErrorPath: '/Users/ana/Library/Preferences/vrs-agent/vrs-agent.log',
    });
    // The checker is strict: an unescaped '&' or an unbalanced tag fails.
    expect(() => parsePlist(PLIST.replace('&amp;', '&'))).toThrow();
    expect(() => parsePlist(PLIST.replace('</array>', ''))).toThrow();
  });

  it('install writes the plist 0644, enables and bootstraps it; uninstall boots it out and removes it', async () => {
    const o = options();
    const { calls, runner } = recorder();
    const report = await installService({ ...o, runner });
    const plist = join(o.root, 'Library/LaunchDaemons/org.vrs.agent.plist');
    expect(report.file).toBe(plist);
    expect(calls).toEqual([
      ['launchctl', 'enable', 'system/org.vrs.agent'],
      ['launchctl', 'bootstrap', 'system', '/Library/LaunchDaemons/org.vrs.agent.plist'],
    ]);
    expect(report.commands).toEqual(calls);
    expect(readFileSync(plist, 'utf8')).toBe(PLIST);
    expect(statSync(plist).mode & 0o777).toBe(0o644);
    expect(filesUnder(o.root)).toEqual([plist]);

    calls.length = 0;
    expect((await uninstallService({ ...o, runner })).changed).toBe(true);
    expect(calls).toEqual([['launchctl', 'bootout', 'system/org.vrs.agent']]);
    expect(filesUnder(o.root)).toEqual([]);
    calls.length = 0;
    expect((await uninstallService({ ...o, runner })).changed).toBe(false);
    expect(calls).toEqual([]);
  });

  it('installing over an existing plist boots the old job out first (bootstrap refuses a loaded job)', async () => {
    const o = options();
    const { calls, runner } = recorder();
    await installService({ ...o, runner });
    calls.length = 0;
    await installService({ ...o, runner });
    expect(calls).toEqual([
      ['launchctl', 'bootout', 'system/org.vrs.agent'],
      ['launchctl', 'enable', 'system/org.vrs.agent'],
      ['launchctl', 'bootstrap', 'system', '/Library/LaunchDaemons/org.vrs.agent.plist'],
    ]);
  });

  it('uninstall accepts a job that is not loaded (bootout exit 113), but not other failures', async () => {
    const o = options();
    await installService({ ...o, runner: recorder().runner });
    const notLoaded = recorder(() => ({
      exitCode: 113,
      stderr: 'Boot-out failed: 113: Could not find specified service\n',
    }));
    expect((await uninstallService({ ...o, runner: notLoaded.runner })).changed).toBe(true);
    await installService({ ...o, runner: recorder().runner });
    const denied = recorder(() => ({ exitCode: 1, stderr: 'Boot-out failed: 1: Operation not permitted\n' }));
    await expect(uninstallService({ ...o, runner: denied.runner })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Refused before removing: the plist is still there to retry with.
    expect(filesUnder(o.root)).toHaveLength(1);
  });
});
