import { type ChainImage, DiskFormat } from '@vrs/protocol';
import { type MediumInfo, parseMediumInfo } from '../parse/parse-medium-info.js';
import type { VBoxRunner } from '../run-vboxmanage.js';
import { VBoxError } from '../vbox-error.js';

/** Takes a medium UUID or path; returns the argv of `showmediuminfo disk <medium>`. */
export function makeShowMediumInfoArgv(medium: string): string[] {
  return ['showmediuminfo', 'disk', medium];
}

/** Takes a runner and a medium; returns its info. Throws VBoxError. */
export async function showMediumInfo(run: VBoxRunner, medium: string): Promise<MediumInfo> {
  const result = await run(makeShowMediumInfoArgv(medium), { retry: true });
  const [info] = parseMediumInfo(result.stdout);
  if (!info)
    throw new VBoxError('VBOXMANAGE_FAILED', `showmediuminfo ${medium} printed no medium`, {
      argv: makeShowMediumInfoArgv(medium),
      exitCode: 0,
      stdout: result.stdout,
      stderrLines: [],
    });
  return info;
}

/**
 * Takes a runner and a leaf medium UUID; returns its whole differencing chain, base first, by following
 * `Parent UUID` to `base`. Throws VBoxError, or VBOXMANAGE_FAILED on a cycle or a chain over 256 images.
 */
export async function resolveChain(run: VBoxRunner, leaf: string): Promise<ChainImage[]> {
  const chain: ChainImage[] = [];
  let next: string | null = leaf;
  while (next !== null) {
    if (chain.length >= 256 || chain.some((c) => c.uuid === next)) {
      throw new VBoxError('VBOXMANAGE_FAILED', `the differencing chain of ${leaf} loops or is too long`, {
        argv: [],
        exitCode: 0,
        stdout: '',
        stderrLines: [],
      });
    }
    const info: MediumInfo = await showMediumInfo(run, next);
    const format = DiskFormat.safeParse(info.format.toUpperCase());
    chain.unshift({ uuid: info.uuid, path: info.location, format: format.success ? format.data : 'RAW' });
    next = info.parentUuid;
  }
  return chain;
}
