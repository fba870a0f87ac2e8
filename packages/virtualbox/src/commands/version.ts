import { VrsError } from '@vrs/protocol';
import type { Dialect } from '../parse/parse-machine-readable.js';
import type { VBoxRunner } from '../run-vboxmanage.js';

/** A VirtualBox version as `VBoxManage --version` prints it, e.g. `7.0.14r161095`. */
export interface VBoxVersion {
  major: number;
  minor: number;
  patch: number;
  revision: number | null;
  text: string;
}

/** The oldest VirtualBox vrs drives, and the one it is built for. */
export const MIN_VERSION = { major: 6, minor: 1 };
export const PRIMARY_MAJOR = 7;

/** Takes `--version` output; returns the version. Throws VBOX_UNAVAILABLE for text that is not one. */
export function parseVBoxVersion(text: string): VBoxVersion {
  const line = text.trim().split('\n').at(-1) ?? '';
  const match = /^(\d+)\.(\d+)\.(\d+)(?:_[A-Za-z0-9]*?)?(?:r(\d+))?$/.exec(line.trim());
  if (!match)
    throw new VrsError('VBOX_UNAVAILABLE', `VBoxManage --version printed ${JSON.stringify(line)}, not a version`);
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    revision: match[4] ? Number(match[4]) : null,
    text: line,
  };
}

/** Takes a version; returns the output dialect of `--machinereadable` (reference §1.2). */
export function dialectOf(version: VBoxVersion): Dialect {
  return version.major >= 7 ? '7.0' : '6.1';
}

/** Takes a runner; returns the version, refusing anything older than 6.1 with VBOX_UNAVAILABLE. */
export async function getVBoxVersion(run: VBoxRunner): Promise<VBoxVersion> {
  const version = parseVBoxVersion((await run(['--version'], { retry: true })).stdout);
  if (version.major < MIN_VERSION.major || (version.major === MIN_VERSION.major && version.minor < MIN_VERSION.minor)) {
    throw new VrsError('VBOX_UNAVAILABLE', `VirtualBox ${version.text} is too old: vrs needs 6.1 or newer`);
  }
  return version;
}
