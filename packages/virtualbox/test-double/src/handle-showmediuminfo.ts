import { resolve } from 'node:path';
import { comError } from './com-error.js';
import type { CommandContext } from './command-context.js';
import type { CommandHandler } from './command-handler.js';
import { asUuid, type DoubleState } from './double-state.js';
import { formatMediumInfo } from './format-medium-info.js';
import { ArgProblem, parseArgs } from './parse-args.js';
import { probeVdi } from './probe-vdi.js';
import { withState } from './with-state.js';

const OPEN_MEDIUM = {
  context:
    'OpenMedium(Bstr(pszFilenameOrUuid).raw(), enmDevType, enmAccessMode, fForceNewUuidOnOpen, pMedium.asOutParam())',
  file: 'VBoxManageDisk.cpp',
  line: 201,
};

/**
 * `showmediuminfo [disk] <file|uuid>` (also `showhdinfo`): the long medium info of §1.4. An unregistered
 * file is opened read-only; one whose header UUID equals a registered medium's fails with the
 * same-UUID error of §1.0 (the backup pitfall).
 */
export const handleShowMediumInfo: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, { options: {} });
  const positional = parsed.positional[0] === 'disk' ? parsed.positional.slice(1) : parsed.positional;
  const [target, extra] = positional;
  if (target === undefined) throw new ArgProblem('Medium name or UUID required');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  return withState(ctx, async (state) => {
    const uuid = asUuid(target);
    const found = uuid ? state.findMedium(uuid) : state.findMediumByPath(target);
    if (found) {
      ctx.io.out(await formatMediumInfo(state, found, true));
      return 0;
    }
    if (uuid) {
      throw comError(`Could not find an open hard disk with UUID {${uuid}}`, {
        hresult: 'VBOX_E_OBJECT_NOT_FOUND',
        component: 'VirtualBoxWrap',
        iface: 'IVirtualBox',
        ...OPEN_MEDIUM,
      });
    }
    ctx.io.out(await describeUnregistered(ctx, state, target));
    return 0;
  });
};

async function describeUnregistered(ctx: CommandContext, state: DoubleState, target: string): Promise<string> {
  const location = resolve(ctx.cwd, target);
  const probe = await probeVdi(location);
  if (!probe.ok) {
    throw comError(
      `Could not open the medium '${location}'.\nVD: error ${probe.code} opening image file '${location}' (${probe.code})`,
      { hresult: 'VBOX_E_FILE_ERROR', component: 'MediumWrap', iface: 'IMedium', ...OPEN_MEDIUM },
    );
  }
  const h = probe.header;
  const clash = state.findMedium(h.uuidCreate);
  if (clash) {
    throw comError(
      `Cannot register the hard disk '${location}' {${h.uuidCreate}} because a hard disk '${clash.node.location}' with UUID {${h.uuidCreate}} already exists`,
      { hresult: 'NS_ERROR_INVALID_ARG', component: 'VirtualBoxWrap', iface: 'IVirtualBox', ...OPEN_MEDIUM },
    );
  }
  const diff = h.type === 'diff';
  const pad = (s: string) => s.padEnd(16, ' ');
  return (
    `${pad('UUID:')}${h.uuidCreate}\n${pad('Parent UUID:')}${diff ? h.uuidLinkage : 'base'}\n${pad('State:')}created\n` +
    `${pad('Type:')}${diff ? 'normal (differencing)' : 'normal (base)'}\n${diff ? `${pad('Auto-Reset:')}off\n` : ''}` +
    `${pad('Location:')}${location}\n${pad('Storage format:')}VDI\n` +
    `${pad('Format variant:')}${h.type === 'fixed' ? 'fixed default' : diff ? 'differencing default' : 'dynamic default'}\n` +
    `${pad('Capacity:')}${Math.floor(h.diskSize / 2 ** 20)} MBytes\n${pad('Size on disk:')}${Math.floor(probe.fileSize / 2 ** 20)} MBytes\n` +
    `${pad('Encryption:')}disabled\n`
  );
}
