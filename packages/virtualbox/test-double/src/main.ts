/**
 * The VBoxManage test double's entry point (`test-double/bin/VBoxManage` runs it): answers VBoxManage 7.0
 * (or 6.1) command lines with the outputs, exit codes, state rules and file effects of reference/virtualbox.md.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import { dialectFor } from './dialect.js';
import { DOUBLE_HOME_VAR, DOUBLE_VERSION_VAR, readDoubleEnv } from './double-env.js';
import { doublePaths } from './double-paths.js';
import { type Io, processIo } from './io.js';
import { ArgProblem } from './parse-args.js';
import { logo, syntaxError } from './syntax-error.js';
import { VBoxFailure } from './vbox-failure.js';

/** Each command's module, loaded on demand so an invocation loads only what it runs. */
const HANDLERS: Record<string, () => Promise<CommandHandler>> = {
  list: async () => (await import('./handle-list.js')).handleList,
  showvminfo: async () => (await import('./handle-showvminfo.js')).handleShowVmInfo,
  showmediuminfo: async () => (await import('./handle-showmediuminfo.js')).handleShowMediumInfo,
  showhdinfo: async () => (await import('./handle-showmediuminfo.js')).handleShowMediumInfo,
  createmedium: async () => (await import('./handle-createmedium.js')).handleCreateMedium,
  createhd: async () => (await import('./handle-createmedium.js')).handleCreateMedium,
  createvm: async () => (await import('./handle-createvm.js')).handleCreateVm,
  storagectl: async () => (await import('./handle-storagectl.js')).handleStorageCtl,
  storageattach: async () => (await import('./handle-storageattach.js')).handleStorageAttach,
  modifyvm: async () => (await import('./handle-modifyvm.js')).handleModifyVm,
  startvm: async () => (await import('./handle-startvm.js')).handleStartVm,
  controlvm: async () => (await import('./handle-controlvm.js')).handleControlVm,
  snapshot: async () => (await import('./handle-snapshot.js')).handleSnapshot,
  getextradata: async () => (await import('./handle-extradata.js')).handleGetExtraData,
  setextradata: async () => (await import('./handle-extradata.js')).handleSetExtraData,
  registervm: async () => (await import('./handle-registervm.js')).handleRegisterVm,
  unregistervm: async () => (await import('./handle-unregistervm.js')).handleUnregisterVm,
  guestcontrol: async () => (await import('./handle-guestcontrol.js')).handleGuestControl,
  internalcommands: async () => (await import('./handle-internalcommands.js')).handleInternalCommands,
};

async function main(argv: string[], io: Io): Promise<number> {
  const env = readDoubleEnv();
  const dialect = dialectFor(env.version);
  if (dialect === undefined) {
    io.err(
      `VBoxManage: error: ${DOUBLE_VERSION_VAR}=${env.version}: the VirtualBox double imitates 7.0.14 or 6.1.50\n`,
    );
    return 1;
  }
  let args = argv;
  while (args[0] === '--nologo' || args[0] === '-q') args = args.slice(1);
  if (args[0] !== undefined && ['--version', '-version', '-v', '-V'].includes(args[0])) {
    io.out(`${dialect.versionString}\n`);
    return 0;
  }
  if (env.home === undefined) {
    io.err(
      `VBoxManage: error: ${DOUBLE_HOME_VAR} is not set: the VirtualBox test double keeps its VirtualBox.xml, VMs and runtime state in that directory\n`,
    );
    return 1;
  }
  const [command, ...rest] = args;
  if (command === undefined) {
    io.out(`${logo(dialect)}Usage:\n\nVBoxManage [<general option>] <command>\n`);
    return 0;
  }
  const load = HANDLERS[command];
  if (load === undefined) {
    io.err(syntaxError(dialect, 'general', `Invalid command '${command}'`).stderr);
    return 2;
  }
  const home = resolve(env.home);
  mkdirSync(home, { recursive: true });
  const ctx: CommandContext = { io, dialect, home, paths: doublePaths(home), cwd: process.cwd() };
  try {
    return await (await load())(ctx, rest);
  } catch (error) {
    if (error instanceof VBoxFailure) {
      io.err(error.stderr);
      return error.exitCode;
    }
    if (error instanceof ArgProblem) {
      const failure = syntaxError(dialect, command, error.message);
      io.err(failure.stderr);
      return failure.exitCode;
    }
    io.err(`VBoxManage: error: internal error in the VirtualBox double: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

const io = processIo();
main(process.argv.slice(2), io).then(
  (code) => process.exit(code),
  (error: unknown) => {
    io.err(`VBoxManage: error: internal error in the VirtualBox double: ${String(error)}\n`);
    process.exit(1);
  },
);
