import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { comError } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import { ArgProblem, parseArgs } from './parse-args.js';
import { parseVboxXml } from './parse-vbox-xml.js';
import { withState } from './with-state.js';

const FILE = 'VBoxManageMisc.cpp';

/** `registervm <path.vbox>`: opens the settings file and registers the machine. Silent on success. */
export const handleRegisterVm: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, { options: { '--password': 'value' } });
  const [file, extra] = parsed.positional;
  if (file === undefined) throw new ArgProblem('Incorrect number of parameters');
  if (extra !== undefined) throw new ArgProblem(`Invalid parameter '${extra}'`);
  const path = resolve(ctx.cwd, file);
  return withState(ctx, async (state) => {
    const xml = await readFile(path, 'utf8').catch(() => undefined);
    const site = { component: 'MachineWrap', iface: 'IMachine', file: FILE };
    if (xml === undefined) {
      throw comError(`Could not find file for the machine '${path}' (VERR_FILE_NOT_FOUND)`, {
        hresult: 'VBOX_E_FILE_ERROR',
        ...site,
        context: 'OpenMachine(Bstr(szVMFileAbs).raw(), Bstr().raw(), machine.asOutParam())',
        line: 132,
      });
    }
    const config = parseVboxXml(xml, path);
    const existing = state.machines.find((m) => m.uuid === config.uuid);
    if (existing) {
      throw comError(`Registered machine with UUID {${config.uuid}} ('${existing.src}') already exists`, {
        hresult: 'NS_ERROR_INVALID_ARG',
        component: 'VirtualBoxWrap',
        iface: 'IVirtualBox',
        context: 'RegisterMachine(machine)',
        file: FILE,
        line: 143,
      });
    }
    state.registry.machines.push({ uuid: config.uuid, src: path });
    await state.saveRegistry();
    return 0;
  });
};
