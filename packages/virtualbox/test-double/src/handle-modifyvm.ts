import { comError } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import { FIND_MACHINE_ARGV0 } from './double-state.js';
import { generateMac, normalizeMac } from './mac-address.js';
import { ArgProblem, lastValue, parseArgs } from './parse-args.js';
import { renameMachine } from './rename-machine.js';
import { requireMutable } from './require-mutable.js';
import { requireWriteLock } from './session-lock.js';
import { withState } from './with-state.js';

const FILE = 'VBoxManageModifyVM.cpp';
const MAC_OPTIONS = Array.from({ length: 8 }, (_, i) => `--macaddress${i + 1}`);

/**
 * `modifyvm <vm> [--name N] [--macaddress<1-8> X|auto] [--memory MB] [--cpus n] [--firmware bios|efi]
 * [--ostype T] [--description D]`: needs the write lock (refused while a session holds the VM) and, except
 * for --name and --description, a mutable (not saved) machine.
 */
export const handleModifyVm: CommandHandler = async (ctx, args) => {
  const options: Record<string, 'value'> = {
    '--name': 'value',
    '--memory': 'value',
    '--cpus': 'value',
    '--firmware': 'value',
    '--ostype': 'value',
    '--description': 'value',
  };
  for (const o of MAC_OPTIONS) options[o] = 'value';
  const parsed = parseArgs(args, { options, aliases: { '-name': '--name', '-memory': '--memory' } });
  const [vm, extra] = parsed.positional;
  if (vm === undefined) throw new ArgProblem('Missing VM name or UUID');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  const firmware = lastValue(parsed, '--firmware')?.toLowerCase();
  if (firmware !== undefined && !['bios', 'efi', 'efi64', 'efi32', 'efidual'].includes(firmware))
    throw new ArgProblem(`Invalid --firmware argument '${firmware}'`);

  return withState(ctx, async (state) => {
    const machine = state.findMachine(vm, FIND_MACHINE_ARGV0(FILE, 471));
    requireWriteLock(machine, FILE, 478);
    const hw = machine.config.hardware;
    const site = (context: string, line: number) => ({ context, file: FILE, line });
    for (const [i, option] of MAC_OPTIONS.entries()) {
      const value = lastValue(parsed, option);
      if (value === undefined) continue;
      const context = 'COMSETTER(MACAddress)(Bstr(ValueUnion.psz).raw())';
      requireMutable(machine, false, site(context, 1812));
      const mac = value === 'auto' ? generateMac() : normalizeMac(value);
      if (mac === undefined) {
        throw comError('Invalid MAC address format', {
          hresult: 'NS_ERROR_INVALID_ARG',
          component: 'NetworkAdapterWrap',
          iface: 'INetworkAdapter',
          ...site(context, 1812),
        });
      }
      const adapter = hw.adapters[i];
      if (adapter) adapter.mac = mac;
    }
    const memory = lastValue(parsed, '--memory');
    if (memory !== undefined) {
      requireMutable(machine, false, site('COMSETTER(MemorySize)(ValueUnion.u32)', 688));
      hw.memoryMB = Number(memory);
    }
    const cpus = lastValue(parsed, '--cpus');
    if (cpus !== undefined) {
      requireMutable(machine, false, site('COMSETTER(CPUCount)(ValueUnion.u32)', 705));
      hw.cpus = Number(cpus);
    }
    if (firmware !== undefined) {
      requireMutable(machine, false, site('COMSETTER(FirmwareType)(FirmwareType_EFI)', 1026));
      hw.firmware = firmware === 'bios' ? 'BIOS' : 'EFI';
      if (hw.firmware === 'EFI' && hw.nvramPath === undefined)
        hw.nvramPath = machine.config.settingsFile.replace(/\.vbox$/, '.nvram');
      if (hw.firmware === 'BIOS') delete hw.nvramPath;
    }
    const osType = lastValue(parsed, '--ostype');
    if (osType !== undefined) {
      requireMutable(machine, false, site('COMSETTER(OSTypeId)(Bstr(ValueUnion.psz).raw())', 514));
      machine.config.osType = osType;
    }
    const description = lastValue(parsed, '--description');
    if (description !== undefined) {
      requireMutable(machine, true, site('COMSETTER(Description)(Bstr(ValueUnion.psz).raw())', 520));
      machine.config.description = description;
    }
    const name = lastValue(parsed, '--name');
    if (name !== undefined) {
      requireMutable(machine, true, site('COMSETTER(Name)(Bstr(ValueUnion.psz).raw())', 506));
      await renameMachine(state, machine, name);
    }
    await state.saveMachine(machine);
    return 0;
  });
};
