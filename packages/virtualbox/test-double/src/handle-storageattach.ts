import { comError } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import { busOfType } from './controller-types.js';
import { type AccessibleMachine, type DoubleState, FIND_MACHINE_ARGV0 } from './double-state.js';
import type { Attachment, MediumNode } from './machine-config.js';
import { parseOnOff } from './on-off.js';
import { openMedium } from './open-medium.js';
import { ArgProblem, lastValue, parseArgs } from './parse-args.js';
import { requireMutable } from './require-mutable.js';
import { requireWriteLock } from './session-lock.js';
import { withState } from './with-state.js';

const FILE = 'VBoxManageStorageController.cpp';

/**
 * `storageattach <vm> --storagectl N --port p --device d --type hdd|dvddrive --medium F|uuid|none|emptydrive
 * [--nonrotational on|off] [--discard on|off] [--hotpluggable on|off]`: attaches (registering the image in
 * the machine's media registry) or detaches a medium. Needs the write lock and a mutable machine.
 */
export const handleStorageAttach: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, {
    options: {
      '--storagectl': 'value',
      '--port': 'value',
      '--device': 'value',
      '--type': 'value',
      '--medium': 'value',
      '--mtype': 'value',
      '--nonrotational': 'value',
      '--discard': 'value',
      '--hotpluggable': 'value',
    },
  });
  const [vm, extra] = parsed.positional;
  if (vm === undefined) throw new ArgProblem('Missing VM name or UUID');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  const ctlName = lastValue(parsed, '--storagectl');
  if (ctlName === undefined) throw new ArgProblem('Storage controller name not specified');
  const port = Number(lastValue(parsed, '--port') ?? 0);
  const device = Number(lastValue(parsed, '--device') ?? 0);
  if (!Number.isInteger(port) || !Number.isInteger(device)) throw new ArgProblem('Invalid port or device number');
  const mediumArg = lastValue(parsed, '--medium');
  const typeArg = lastValue(parsed, '--type');
  if (typeArg !== undefined && !['hdd', 'dvddrive'].includes(typeArg))
    throw new ArgProblem(`Invalid --type argument '${typeArg}'`);
  if (mediumArg === undefined && typeArg === undefined) throw new ArgProblem('Argument --medium is required');
  const flags = {
    nonrotational: parseOnOff(lastValue(parsed, '--nonrotational'), '--nonrotational'),
    discard: parseOnOff(lastValue(parsed, '--discard'), '--discard'),
    hotpluggable: parseOnOff(lastValue(parsed, '--hotpluggable'), '--hotpluggable'),
  };

  return withState(ctx, async (state) => {
    const machine = state.findMachine(vm, FIND_MACHINE_ARGV0(FILE, 224));
    requireWriteLock(machine, FILE, 236);
    const site = { component: 'SessionMachine', iface: 'IMachine', file: FILE };
    const ctl = machine.config.hardware.controllers.find((c) => c.name === ctlName);
    if (ctl === undefined) {
      throw comError(`Could not find a storage controller named '${ctlName}'`, {
        hresult: 'VBOX_E_OBJECT_NOT_FOUND',
        ...site,
        context: 'GetStorageControllerByName(Bstr(pszCtl).raw(), storageCtl.asOutParam())',
        line: 262,
      });
    }
    const devType = typeArg === 'dvddrive' ? 'DeviceType_DVD' : 'DeviceType_HardDisk';
    const attachContext = `AttachDevice(Bstr(pszCtl).raw(), port, device, ${devType}, pMedium2Mount)`;
    requireMutable(machine, false, { context: attachContext, file: FILE, line: 933 });
    const bus = busOfType(ctl.type);
    if (port < 0 || port >= ctl.portCount || device < 0 || device >= bus.devicesPerPort) {
      throw comError(
        `The port and/or device parameter are out of range: port=${port} (must be in range [0, ${ctl.portCount - 1}]), device=${device} (must be in range [0, ${bus.devicesPerPort - 1}])`,
        { hresult: 'NS_ERROR_INVALID_ARG', ...site, context: attachContext, line: 933 },
      );
    }
    const others = ctl.attachments.filter((a) => !(a.port === port && a.device === device));
    if (mediumArg === 'none') {
      ctl.attachments = others;
      await state.saveMachine(machine);
      return 0;
    }
    const attachment: Attachment = {
      type: typeArg === 'dvddrive' ? 'DVD' : 'HardDisk',
      port,
      device,
      hotpluggable: flags.hotpluggable ?? false,
      nonrotational: flags.nonrotational ?? false,
      discard: flags.discard ?? false,
    };
    if (mediumArg !== undefined && mediumArg !== 'emptydrive') {
      const node = await adoptMedium(state, machine, mediumArg, attachContext);
      attachment.imageUuid = node.uuid;
    }
    ctl.attachments = [...others, attachment].sort((a, b) => a.port - b.port || a.device - b.device);
    await state.saveMachine(machine);
    return 0;
  });
};

/** Opens the medium and makes sure it lives in the machine's media registry (moving it from the global one). */
async function adoptMedium(
  state: DoubleState,
  machine: AccessibleMachine,
  arg: string,
  context: string,
): Promise<MediumNode> {
  const opened = await openMedium(state.ctx, state, arg, { context, file: FILE, line: 933 });
  if ('fresh' in opened) {
    machine.config.media.push(opened.node);
    return opened.node;
  }
  if (opened.owner === undefined && opened.parent === undefined) {
    opened.container.splice(opened.container.indexOf(opened.node), 1);
    machine.config.media.push(opened.node);
    await state.saveRegistry();
  }
  return opened.node;
}
