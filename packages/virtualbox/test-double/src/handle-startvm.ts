import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { checkAttachedMedia } from './check-attached-media.js';
import { comError, errorLines } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import type { AccessibleMachine, DoubleState } from './double-state.js';
import { startGuestWriter } from './guest-writer-process.js';
import { ArgProblem, lastValue, parseArgs } from './parse-args.js';
import { isSessionLocked } from './session-lock.js';
import { VBoxFailure } from './vbox-failure.js';
import { withState } from './with-state.js';

const FILE = 'VBoxManageMisc.cpp';
const SESSION_NAMES: Record<string, string> = {
  gui: 'GUI/Qt',
  headless: 'headless',
  sdl: 'GUI/SDL',
  separate: 'headless',
};

/**
 * `startvm <vm>... [--type gui|headless|sdl|separate]`: powers the VM on from PoweredOff, Saved (the saved
 * state is consumed), Aborted or AbortedSaved by spawning its guest writer; prints `Waiting for VM "<arg>"
 * to power on...` and `VM "<arg>" has been successfully started.` (the argument as typed). A locked VM gets
 * the `already locked by a session` error.
 */
export const handleStartVm: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, {
    options: { '--type': 'value', '--putenv': 'value' },
    aliases: { '-type': '--type', '-E': '--putenv' },
  });
  if (parsed.positional.length === 0) throw new ArgProblem('VM name or UUID required');
  const type = lastValue(parsed, '--type') ?? 'gui';
  const sessionName = SESSION_NAMES[type];
  if (sessionName === undefined) throw new ArgProblem(`Invalid session type '${type}'`);
  for (const vm of parsed.positional) {
    await withState(ctx, async (state) => {
      const machine = state.findMachine(vm, {
        context: 'FindMachine(Bstr(pszVM).raw(), machine.asOutParam())',
        file: FILE,
        line: 829,
      });
      if (isSessionLocked(machine.runtime)) {
        throw comError(
          `The machine '${machine.config.name}' is already locked by a session (or being locked or unlocked)`,
          {
            hresult: 'VBOX_E_INVALID_OBJECT_STATE',
            component: 'MachineWrap',
            iface: 'IMachine',
            context:
              'LaunchVMProcess(a->session, sessionType.raw(), ComSafeArrayAsInParam(aBstrEnv), progress.asOutParam())',
            file: FILE,
            line: 881,
          },
        );
      }
      ctx.io.out(`Waiting for VM "${vm}" to power on...\n`);
      const problem = await checkAttachedMedia(state, machine);
      if (problem !== undefined) {
        throw new VBoxFailure(
          1,
          errorLines(problem) +
            errorLines('Details: code VBOX_E_FILE_ERROR (0x80bb0004), component MediumWrap, interface IMedium'),
        );
      }
      await powerUp(state, machine, sessionName);
      ctx.io.out(`VM "${vm}" has been successfully started.\n`);
    });
  }
  return 0;
};

async function powerUp(state: DoubleState, machine: AccessibleMachine, sessionName: string): Promise<void> {
  const c = machine.config;
  if (c.hardware.nvramPath !== undefined && !existsSync(c.hardware.nvramPath)) {
    await writeFile(
      c.hardware.nvramPath,
      Buffer.concat([Buffer.from('VRS-DOUBLE-NVRAM\n'), Buffer.alloc(128 * 1024 - 17)]),
    );
  }
  if (c.stateFile !== undefined) {
    await rm(c.stateFile, { force: true });
    delete c.stateFile;
  }
  c.aborted = false;
  machine.runtime = { state: 'running', stateChangeMs: Date.now(), sessionName };
  state.setState(machine, 'running');
  machine.runtime.writerPid = await startGuestWriter(state, machine);
  await state.saveMachine(machine);
}
