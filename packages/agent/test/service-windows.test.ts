import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceConfig } from 'node-windows';
import { describe, expect, it } from 'vitest';
import { installService, uninstallService } from '../src/service/install-service.js';
import { ServiceError } from '../src/service/service-error.js';
import type { ServiceClass } from '../src/service/windows-service.js';
import { makeTempDir } from './support/temp-dir.js';

// node-windows registers the service through winsw.exe and `net start`, which exist only on Windows (its
// module even throws on import elsewhere). These tests stand in for its Service class: they check the
// constructor options, the log-on account and how its events are handled, not a real registration.

const dir = makeTempDir('windows');
let n = 0;

/** A stand-in for node-windows' Service: records what it was given, emits what the script says. */
function fakeService(script: { install?: string; uninstall?: string } = {}) {
  const made: { config: ServiceConfig; service: FakeService }[] = [];
  class FakeService extends EventEmitter {
    logOnAs = { account: '', password: '', domain: 'PC' };
    workingdirectory = '';
    calls: unknown[][] = [];
    constructor(readonly config: ServiceConfig) {
      super();
      made.push({ config, service: this });
    }
    install(where?: string) {
      this.calls.push(['install', where]);
      queueMicrotask(() => this.emit(script.install ?? 'install', 'winsw failed'));
    }
    start() {
      this.calls.push(['start']);
      queueMicrotask(() => this.emit('start'));
    }
    uninstall() {
      this.calls.push(['uninstall']);
      queueMicrotask(() => this.emit(script.uninstall ?? 'uninstall', 'winsw failed'));
    }
  }
  return { made, Class: FakeService as unknown as ServiceClass };
}

const options = (Class: ServiceClass) => {
  const configDir = join(dir, `c${n++}`, 'vrs-agent', 'Config');
  return {
    nodePath: 'C:\\Program Files\\nodejs\\node.exe',
    mainPath: join(dir, 'agent', 'dist', 'cli', 'main.js'),
    configDir,
    user: 'ana',
    platform: 'win32' as const,
    logOnAs: { account: 'ana', password: 'pa55' },
    serviceClass: Class,
  };
};

describe('the Windows service (node-windows, stood in for)', () => {
  it('is constructed with the launcher, the config directory in its environment and the restart policy', async () => {
    const { made, Class } = fakeService();
    const o = options(Class);
    const report = await installService(o);
    const serviceDir = join(o.configDir, 'service');
    expect(made).toHaveLength(1);
    expect(made[0]?.config).toEqual({
      name: 'vrs-agent',
      description: 'vrs-agent: the VirtualBox Remote Snapshots host agent',
      script: join(serviceDir, 'vrs-agent-service.mjs'),
      execPath: 'C:\\Program Files\\nodejs\\node.exe',
      nodeOptions: [],
      env: [{ name: 'VRS_AGENT_CONFIG', value: o.configDir }],
      wait: 5,
      grow: 0.25,
      maxRestarts: 5,
    });
    const service = made[0]?.service as unknown as { logOnAs: object; workingdirectory: string; calls: unknown[][] };
    expect(service.logOnAs).toEqual({ account: 'ana', password: 'pa55', domain: 'PC' });
    expect(service.workingdirectory).toBe(serviceDir);
    expect(service.calls).toEqual([['install', serviceDir], ['start']]);
    expect(report).toMatchObject({
      manager: 'windows',
      file: join(serviceDir, 'vrs-agent-service.mjs'),
      changed: true,
    });
  });

  it('writes a launcher that runs `main.js run` (node-windows forks its script without arguments)', async () => {
    const { Class } = fakeService();
    const o = options(Class);
    mkdirSync(join(dir, 'agent', 'dist', 'cli'), { recursive: true });
    writeFileSync(o.mainPath, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
    const report = await installService(o);
    // Run it the way node-windows' wrapper does: `fork(script)`, no arguments.
    expect(execFileSync(process.execPath, [report.file], { encoding: 'utf8' }).trim()).toBe('["run"]');
  });

  it('starts an already installed service; reports node-windows errors as ServiceError', async () => {
    const already = fakeService({ install: 'alreadyinstalled' });
    await installService(options(already.Class));
    const calls = (already.made[0] as unknown as { service: { calls: unknown[][] } }).service.calls;
    expect(calls.at(-1)).toEqual(['start']);
    const broken = fakeService({ install: 'error' });
    const error = await installService(options(broken.Class)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('winsw failed') });
    const invalid = fakeService({ install: 'invalidinstallation' });
    await expect(installService(options(invalid.Class))).rejects.toMatchObject({ message: /uninstall it first/ });
  });

  it('uninstall unregisters and removes the service directory; nothing installed is changed: false', async () => {
    const { Class } = fakeService();
    const o = options(Class);
    const installed = await installService(o);
    expect(existsSync(installed.file)).toBe(true);
    expect(await uninstallService(o)).toMatchObject({ changed: true });
    expect(existsSync(join(o.configDir, 'service'))).toBe(false);
    const none = fakeService({ uninstall: 'alreadyuninstalled' });
    expect(await uninstallService(options(none.Class))).toMatchObject({ changed: false });
  });

  it('refuses to install without the account of the VMs’ owner', async () => {
    const { made, Class } = fakeService();
    const { logOnAs: _, ...o } = options(Class);
    await expect(installService(o)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(made).toEqual([]);
  });
});
