import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { blockEngine } from './block-engine.js';
import { plainError } from './com-error.js';
import type { CommandHandler } from './command-handler.js';
import { asUuid } from './double-state.js';
import { ArgProblem } from './parse-args.js';
import { probeVdi } from './probe-vdi.js';

/**
 * `internalcommands sethduuid <file> [uuid]`: writes a new image UUID (given or random) into the VDI header
 * (uuidCreate at 0x188) and prints `UUID changed to: <uuid>`. The registry is not touched, as in VirtualBox.
 */
export const handleInternalCommands: CommandHandler = async (ctx, args) => {
  const [sub, file, uuidArg, extra] = args;
  if (sub !== 'sethduuid') throw new ArgProblem(`Invalid command '${sub ?? ''}'`);
  if (file === undefined || extra !== undefined) throw new ArgProblem('Not enough parameters');
  const uuid = uuidArg === undefined ? randomUUID() : asUuid(uuidArg);
  if (uuid === undefined) throw new ArgProblem('Invalid UUID parameter');
  const path = resolve(ctx.cwd, file);
  const probe = await probeVdi(path);
  if (!probe.ok) {
    if (probe.code === 'VERR_FILE_NOT_FOUND' || probe.code === 'VERR_ACCESS_DENIED')
      throw plainError(`Format autodetect failed: ${probe.code}`);
    throw plainError(`Cannot open the image: ${probe.code}`);
  }
  const { uuidToGuidBytes } = await blockEngine();
  const handle = await open(path, 'r+');
  try {
    await handle.write(uuidToGuidBytes(uuid), 0, 16, 0x188);
    await handle.sync();
  } finally {
    await handle.close();
  }
  ctx.io.out(`UUID changed to: ${uuid}\n`);
  return 0;
};
