import { comError } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import { busByName, busOfType, controllerTypeByArg } from './controller-types.js';
import { FIND_MACHINE_ARGV0 } from './double-state.js';
import type { StorageController } from './machine-config.js';
import { parseOnOff } from './on-off.js';
import { ArgProblem, lastValue, parseArgs } from './parse-args.js';
import { requireMutable } from './require-mutable.js';
import { requireWriteLock } from './session-lock.js';
import { withState } from './with-state.js';

const FILE = 'VBoxManageStorageController.cpp';

/**
 * `storagectl <vm> --name N [--add ide|sata|scsi|sas] [--controller T] [--portcount n] [--hostiocache on|off]
 * [--bootable on|off] [--remove]`: adds, changes or removes a storage controller (write lock, mutable state).
 */
export const handleStorageCtl: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, {
    options: {
      '--name': 'value',
      '--add': 'value',
      '--controller': 'value',
      '--portcount': 'value',
      '--hostiocache': 'value',
      '--bootable': 'value',
      '--remove': 'flag',
    },
    aliases: { '--sataportcount': '--portcount' },
  });
  const [vm, extra] = parsed.positional;
  if (vm === undefined) throw new ArgProblem('Missing VM name or UUID');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  const name = lastValue(parsed, '--name');
  if (name === undefined) throw new ArgProblem('Storage controller name not specified');
  const add = lastValue(parsed, '--add');
  const bus = add === undefined ? undefined : busByName(add);
  if (add !== undefined && bus === undefined) throw new ArgProblem(`Invalid --add argument '${add}'`);
  const controllerArg = lastValue(parsed, '--controller');
  const type = controllerArg === undefined ? undefined : controllerTypeByArg(controllerArg);
  if (controllerArg !== undefined && type === undefined)
    throw new ArgProblem(`Invalid --type argument '${controllerArg}'`);
  const portCount = lastValue(parsed, '--portcount');
  const hostIoCache = parseOnOff(lastValue(parsed, '--hostiocache'), '--hostiocache');
  const bootable = parseOnOff(lastValue(parsed, '--bootable'), '--bootable');

  return withState(ctx, async (state) => {
    const machine = state.findMachine(vm, FIND_MACHINE_ARGV0(FILE, 1045));
    requireWriteLock(machine, FILE, 1056);
    const controllers = machine.config.hardware.controllers;
    const site = { component: 'SessionMachine', iface: 'IMachine', file: FILE };
    if (parsed.flags.has('--remove')) {
      const at = controllers.findIndex((c) => c.name === name);
      if (at < 0) {
        throw comError(`Could not find a storage controller named '${name}'`, {
          hresult: 'VBOX_E_OBJECT_NOT_FOUND',
          ...site,
          context: 'RemoveStorageController(Bstr(pszCtl).raw())',
          line: 1092,
        });
      }
      requireMutable(machine, false, {
        context: 'RemoveStorageController(Bstr(pszCtl).raw())',
        file: FILE,
        line: 1092,
      });
      controllers.splice(at, 1);
      await state.saveMachine(machine);
      return 0;
    }
    let ctl: StorageController | undefined = controllers.find((c) => c.name === name);
    if (bus !== undefined) {
      const context = `AddStorageController(Bstr(pszCtl).raw(), StorageBus_${bus.bus.toUpperCase()}, ctl.asOutParam())`;
      requireMutable(machine, false, { context, file: FILE, line: 1128 });
      if (ctl)
        throw comError(`Storage controller named '${name}' already exists`, {
          hresult: 'VBOX_E_OBJECT_IN_USE',
          ...site,
          context,
          line: 1128,
        });
      ctl = {
        name,
        type: bus.defaultType,
        portCount: bus.defaultPorts,
        useHostIOCache: bus.bus === 'ide',
        bootable: !controllers.some((c) => busOfType(c.type).bus === bus.bus && c.bootable),
        attachments: [],
      };
      controllers.push(ctl);
    }
    if (ctl === undefined) {
      throw comError(`Could not find a storage controller named '${name}'`, {
        hresult: 'VBOX_E_OBJECT_NOT_FOUND',
        ...site,
        context: 'GetStorageControllerByName(Bstr(pszCtl).raw(), ctl.asOutParam())',
        line: 1150,
      });
    }
    if (type !== undefined) ctl.type = type;
    if (portCount !== undefined) {
      const n = Number(portCount);
      const max = busOfType(ctl.type).maxPorts;
      if (!Number.isInteger(n) || n < 1 || n > max) {
        throw comError(`Invalid port count: ${portCount} (must be in range [1, ${max}])`, {
          hresult: 'NS_ERROR_INVALID_ARG',
          component: 'StorageControllerWrap',
          iface: 'IStorageController',
          context: 'COMSETTER(PortCount)(portcount)',
          file: FILE,
          line: 1205,
        });
      }
      ctl.portCount = n;
    }
    if (hostIoCache !== undefined) ctl.useHostIOCache = hostIoCache;
    if (bootable !== undefined) ctl.bootable = bootable;
    await state.saveMachine(machine);
    return 0;
  });
};
