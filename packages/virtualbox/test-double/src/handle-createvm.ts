import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { comError } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import { asUuid } from './double-state.js';
import { newMachineConfig } from './new-machine-config.js';
import { ArgProblem, lastValue, parseArgs } from './parse-args.js';
import { saveSettingsFile } from './save-settings-file.js';
import { withState } from './with-state.js';
import { writeVboxXml } from './write-vbox-xml.js';

const CREATE_MACHINE =
  'CreateMachine(bstrSettingsFile.raw(), bstrName.raw(), ComSafeArrayAsInParam(groups), bstrOsTypeId.raw(), createFlags.raw(), bstrCipher.raw(), bstrPasswordId.raw(), Bstr(strPassword).raw(), machine.asOutParam())';

/**
 * `createvm --name N [--ostype T] [--basefolder D] [--uuid U] [--register]`: writes
 * `<basefolder>/<name>/<name>.vbox` and prints `Virtual machine 'N' is created and registered.`,
 * `UUID: …`, `Settings file: '…'`.
 */
export const handleCreateVm: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, {
    options: {
      '--name': 'value',
      '--ostype': 'value',
      '--basefolder': 'value',
      '--uuid': 'value',
      '--groups': 'value',
      '--register': 'flag',
      '--default': 'flag',
    },
    aliases: { '-name': '--name', '-ostype': '--ostype', '-basefolder': '--basefolder', '-register': '--register' },
  });
  if (parsed.positional.length > 0) throw new ArgProblem(`Invalid parameter '${parsed.positional[0]}'`);
  const name = lastValue(parsed, '--name');
  if (!name) throw new ArgProblem('Parameter --name is required');
  const uuidArg = lastValue(parsed, '--uuid');
  const uuid = uuidArg === undefined ? randomUUID() : asUuid(uuidArg);
  if (uuid === undefined) throw new ArgProblem(`Invalid UUID format ${uuidArg}`);
  const register = parsed.flags.has('--register');

  return withState(ctx, async (state) => {
    const base = resolve(ctx.cwd, lastValue(parsed, '--basefolder') ?? ctx.paths.machineFolder);
    const settingsFile = join(base, name, `${name}.vbox`);
    const site = {
      component: 'VirtualBoxWrap',
      iface: 'IVirtualBox',
      context: CREATE_MACHINE,
      file: 'VBoxManageMisc.cpp',
      line: 299,
    };
    if (existsSync(settingsFile)) {
      throw comError(`Machine settings file '${settingsFile}' already exists`, {
        hresult: 'VBOX_E_FILE_ERROR',
        ...site,
      });
    }
    if (register && state.machines.some((m) => m.uuid === uuid)) {
      throw comError(`A machine with UUID {${uuid}} is already registered`, {
        hresult: 'VBOX_E_OBJECT_IN_USE',
        ...site,
      });
    }
    const config = newMachineConfig(uuid, name, lastValue(parsed, '--ostype') ?? 'Other', settingsFile);
    await mkdir(join(base, name), { recursive: true });
    await saveSettingsFile(settingsFile, writeVboxXml(config, ctx.dialect));
    if (register) {
      state.registry.machines.push({ uuid, src: settingsFile });
      await state.saveRegistry();
    }
    ctx.io.out(
      `Virtual machine '${name}' is created${register ? ' and registered' : ''}.\nUUID: ${uuid}\nSettings file: '${settingsFile}'\n`,
    );
    return 0;
  });
};
