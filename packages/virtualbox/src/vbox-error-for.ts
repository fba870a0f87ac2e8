import type { ErrorCode } from '@vrs/protocol';
import { VBoxError, type VBoxFailure } from './vbox-error.js';

/** `VBoxManage: error: ` or `VBoxManage.exe: error: ` (reference §1.0; Vagrant's pattern). */
export const ERROR_PREFIX = /^VBoxManage(?:[.a-z]+?)?: error: /i;

/** Message patterns, most specific first, and the domain code each means (texts of reference §1.0–§1.12). */
const RULES: [RegExp, ErrorCode][] = [
  [/^Could not find a registered machine (named|with UUID)/, 'VM_NOT_FOUND'],
  [/is already locked (by|for) a session/, 'VM_LOCKED'],
  [/^Cannot unregister the machine .* while it is locked/, 'VM_LOCKED'],
  [/^Medium '.*' is locked for (writing|reading) by another task/, 'MEDIUM_LOCKED'],
  [/^Could not find a snapshot (named|with UUID)/, 'SNAPSHOT_NOT_FOUND'],
  [/does not have any snapshots/, 'SNAPSHOT_NOT_FOUND'],
  [/^Machine '.*' is not currently running\.?$/, 'INVALID_VM_STATE'],
  [
    /^(Invalid machine state|The machine is not mutable|Cannot resume the machine|Already paused|Cannot power down|Cannot save the execution state|Cannot take (a|another) (live )?snapshot|Machine in invalid state)/,
    'INVALID_VM_STATE',
  ],
  [
    /(was not able to logon on guest|guest execution service is not (ready|available)|VMM device is not available|on guest$|did not respond within time|concurrent guest processes)/,
    'GUEST_EXEC_FAILED',
  ],
];

/** HRESULT names that decide the code when no message rule matched. */
const BY_HRESULT: Record<string, ErrorCode> = {
  VBOX_E_OBJECT_NOT_FOUND: 'VBOXMANAGE_FAILED',
  VBOX_E_INVALID_VM_STATE: 'INVALID_VM_STATE',
  VBOX_E_INVALID_OBJECT_STATE: 'VM_LOCKED',
  VBOX_E_GSTCTL_GUEST_ERROR: 'GUEST_EXEC_FAILED',
};

/**
 * Takes a failed run; returns the VBoxError it means. The message is VBoxManage's first error line (or, for
 * `snapshot list` with no snapshots, its stdout) and the code follows RULES, then the HRESULT, else
 * VBOXMANAGE_FAILED.
 */
export function vboxErrorFor(failure: VBoxFailure, command: string): VBoxError {
  const errors = failure.stderrLines.filter((l) => ERROR_PREFIX.test(l)).map((l) => l.replace(ERROR_PREFIX, ''));
  const message = errors.find((l) => !/^(Details|Context): /.test(l)) ?? failure.stdout.trim().split('\n')[0] ?? '';
  const hresult = /Details: code (\w+)/.exec(errors.join('\n'))?.[1] ?? /^Code (\w+) /m.exec(errors.join('\n'))?.[1];
  const code =
    RULES.find(([pattern]) => pattern.test(message))?.[1] ??
    (hresult ? BY_HRESULT[hresult] : undefined) ??
    'VBOXMANAGE_FAILED';
  const text =
    message || `exit code ${failure.exitCode}${failure.stderrLines.length ? `: ${failure.stderrLines.at(-1)}` : ''}`;
  return new VBoxError(code, `VBoxManage ${command} failed: ${text}`, failure, hresult ? { hresult } : {});
}
