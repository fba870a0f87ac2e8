import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { blockEngine } from './block-engine.js';
import { comError, plainError } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import { ArgProblem, lastValue, parseArgs } from './parse-args.js';
import { PROGRESS_DONE, progressFailure } from './progress.js';
import { withState } from './with-state.js';

/**
 * `createmedium [disk] --filename F --size MB|--sizebyte B [--format VDI] [--variant Standard|Fixed]`
 * (also `createhd`): creates a real VDI in VirtualBox's layout, registers it in the global media
 * registry, prints progress on stderr and `Medium created. UUID: <uuid>` on stdout.
 */
export const handleCreateMedium: CommandHandler = async (ctx, args) => {
  const parsed = parseArgs(args, {
    options: {
      '--filename': 'value',
      '--size': 'value',
      '--sizebyte': 'value',
      '--format': 'value',
      '--variant': 'value',
    },
    aliases: { '-filename': '--filename', '-size': '--size', '-format': '--format', '-variant': '--variant' },
  });
  const kind = parsed.positional[0] ?? 'disk';
  if (kind !== 'disk' || parsed.positional.length > 1)
    throw new ArgProblem(`Invalid parameter '${parsed.positional.at(-1)}'`);
  const filename = lastValue(parsed, '--filename');
  if (filename === undefined) throw new ArgProblem('Parameters --filename is required');
  const sizeMb = lastValue(parsed, '--size');
  const sizeByte = lastValue(parsed, '--sizebyte');
  const size =
    sizeByte !== undefined ? Number(sizeByte) : sizeMb !== undefined ? Number(sizeMb) * 1024 * 1024 : Number.NaN;
  if (!Number.isFinite(size) || size <= 0) throw new ArgProblem('Parameters --size is required');
  const format = (lastValue(parsed, '--format') ?? 'VDI').toUpperCase();
  if (format !== 'VDI') throw plainError(`The VirtualBox double creates VDI images only (asked for ${format})`);
  const variant = (lastValue(parsed, '--variant') ?? 'Standard').toLowerCase();
  if (!['standard', 'fixed'].includes(variant))
    throw new ArgProblem(`Invalid medium variant '${lastValue(parsed, '--variant')}'`);
  let location = resolve(ctx.cwd, filename);
  if (extname(location) === '') location += '.vdi';

  return withState(ctx, async (state) => {
    if (state.findMediumByPath(location)) {
      throw comError(
        `Cannot create the hard disk '${location}' because a medium with the same location is already registered`,
        {
          hresult: 'VBOX_E_FILE_ERROR',
          component: 'VirtualBoxWrap',
          iface: 'IVirtualBox',
          context:
            'CreateMedium(Bstr(format).raw(), Bstr(filename).raw(), AccessMode_ReadWrite, DeviceType_HardDisk, pMedium.asOutParam())',
          file: 'VBoxManageDisk.cpp',
          line: 552,
        },
      );
    }
    if (existsSync(location)) {
      throw progressFailure({
        message: 'Failed to create medium',
        errorText: `Could not create the medium storage unit '${location}'.\nVDI: cannot create image '${location}' (VERR_ALREADY_EXISTS)`,
        hresult: 'VBOX_E_FILE_ERROR',
        component: 'MediumWrap',
        iface: 'IMedium',
        context: 'RTEXITCODE handleCreateMedium(HandlerArg *)',
        file: 'VBoxManageDisk.cpp',
        line: 630,
      });
    }
    await mkdir(dirname(location), { recursive: true });
    const uuid = randomUUID();
    const { createVdi } = await blockEngine();
    await createVdi(location, { diskSize: size, type: variant === 'fixed' ? 'fixed' : 'normal', uuid });
    state.registry.media.push({ uuid, location, format: 'VDI', type: 'Normal', children: [] });
    await state.saveRegistry();
    ctx.io.err(PROGRESS_DONE);
    ctx.io.out(`Medium created. UUID: ${uuid}\n`);
    return 0;
  });
};
