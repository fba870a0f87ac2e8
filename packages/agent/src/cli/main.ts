#!/usr/bin/env node
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describeCliError } from '@vrs/protocol';
import { VirtualBox } from '@vrs/virtualbox';
import { Command } from 'commander';
import { pino } from 'pino';
import { setAgentLogger } from '../agent-logger.js';
import { getConfigDir } from '../config/get-config-dir.js';
import { readCredential } from '../config/read-credential.js';
import { AgentRuntime } from '../runtime/agent-runtime.js';
import { AGENT_VERSION } from '../version.js';
import { enroll } from './enroll.js';
import { serviceCommand } from './service-command.js';
import { readStatus } from './status.js';

/** Exit codes: 0 ok, 1 not running (status), 2 usage, 3 failed (the message says what to do), 4 a bug. */
const EXIT = { ok: 0, notRunning: 1 } as const;

const program = new Command('vrs-agent')
  .description('vrs host agent: snapshots and restores this host’s VirtualBox VMs with a vrs server')
  .version(AGENT_VERSION)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('enroll')
  .description('enroll this host with a server (the line `vrs-server token create` prints)')
  .requiredOption('--server <url>', 'wss://HOST:PORT')
  .requiredOption('--token <token>', 'the one-time enrollment token')
  .requiredOption('--fingerprint <sha256>', "the server certificate's SHA256:… fingerprint")
  .option('--vboxmanage <path>', 'the VBoxManage executable')
  .action(async (o: { server: string; token: string; fingerprint: string; vboxmanage?: string }) => {
    const result = await enroll({ ...o, dir: getConfigDir() });
    process.stdout.write(
      `enrolled as ${result.name} (${result.hostId}); credential in ${result.file}\nstart the service: vrs-agent run (or vrs-agent service install)\n`,
    );
  });

program
  .command('run')
  .description('run the agent service (connects, reports VMs, runs jobs)')
  .option('--vboxmanage <path>', 'the VBoxManage executable')
  .option('--log-level <level>', 'fatal, error, warn, info, debug or trace', 'info')
  .action(async (o: { vboxmanage?: string; logLevel: string }) => {
    const log = pino({
      name: 'vrs-agent',
      level: o.logLevel,
      redact: { paths: ['credential', '*.credential', 'token', '*.token'], censor: '[redacted]' },
    });
    setAgentLogger(log);
    const dir = getConfigDir();
    const stateDir = join(dir, 'state');
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const credential = await readCredential(dir);
    const vbox = await VirtualBox.connect(o.vboxmanage ? { binary: o.vboxmanage } : {});
    const runtime = new AgentRuntime({ credential, vbox, stateDir, log });
    await runtime.start();
    log.info(
      { host: credential.hostName, server: credential.server, virtualbox: vbox.version.text },
      'vrs-agent running',
    );
    const stop = () => void runtime.stop().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });

program
  .command('status')
  .description('is the service running, connected, and what is it doing')
  .option('--json', 'print JSON')
  .action(async (o: { json?: boolean }) => {
    const { status, alive } = await readStatus(join(getConfigDir(), 'state'));
    if (o.json) process.stdout.write(`${JSON.stringify({ running: alive, ...status })}\n`);
    else if (!status || !alive)
      process.stdout.write('vrs-agent is not running (start it: vrs-agent run, or vrs-agent service install)\n');
    else {
      process.stdout.write(
        `vrs-agent running (pid ${status.pid}) for host ${status.hostId}\n  server ${status.server}: ${status.connected ? 'connected' : 'not connected, retrying'}\n  VMs reported: ${status.vms} (at ${status.lastInventoryAt ?? 'never'})\n  jobs running: ${status.running.length ? status.running.join(', ') : 'none'}\n${status.lastJob ? `  last job: ${status.lastJob.kind} ${status.lastJob.ok ? 'done' : `failed: ${status.lastJob.message}`} at ${status.lastJob.at}\n` : ''}`,
      );
    }
    process.exitCode = alive ? EXIT.ok : EXIT.notRunning;
  });

program.addCommand(serviceCommand());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

function report(error: unknown): number {
  const { text, exitCode } = describeCliError('vrs-agent', error);
  process.stderr.write(text);
  return exitCode;
}
