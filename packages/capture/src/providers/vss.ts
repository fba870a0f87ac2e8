import type { VmInfo } from '@vrs/virtualbox';
import { CaptureError } from '../capture-error.js';
import type { Capture, ResolvedCaptureOptions } from '../capture-types.js';
import { crashPoint } from '../env.js';
import type { CaptureJournal } from '../journal.js';
import { vmFiles } from '../vm-files.js';

/** Runs a PowerShell script and returns its output (injectable: unit tests replay recorded outputs). */
export type PowerShellRunner = (script: string) => Promise<{ stdout: string; stderr: string; exitCode: number }>;

/** `Win32_ShadowCopy.Create` return values (reference §4.1): small integers, not HRESULTs. */
export const SHADOW_CREATE_RESULTS: Record<number, string> = {
  0: 'Success',
  1: 'Access denied (run the agent as an elevated administrator)',
  2: 'Invalid argument',
  3: 'Specified volume not found',
  4: 'Specified volume not supported',
  5: 'Unsupported shadow copy context',
  6: 'Insufficient storage',
  7: 'Volume is in use',
  8: 'Maximum number of shadow copies reached',
  9: 'Another shadow copy operation is already in progress',
  10: 'Shadow copy provider vetoed the operation',
  11: 'Shadow copy provider not registered',
  12: 'Shadow copy provider failure',
  13: 'Unknown error',
};

/** Takes a volume (`C:\`); returns the PowerShell that creates a ClientAccessible shadow and prints JSON. */
export function makeCreateShadowScript(volume: string): string {
  const quoted = volume.replace(/'/g, "''");
  return [
    `$r = Invoke-CimMethod -ClassName Win32_ShadowCopy -MethodName Create -Arguments @{ Volume = '${quoted}'; Context = 'ClientAccessible' }`,
    '$s = if ($r.ReturnValue -eq 0) { Get-CimInstance Win32_ShadowCopy -Filter "ID=\'$($r.ShadowID)\'" } else { $null }',
    '@{ ReturnValue = $r.ReturnValue; ShadowID = $r.ShadowID; DeviceObject = $s.DeviceObject } | ConvertTo-Json -Compress',
  ].join('\n');
}

/** Takes a shadow ID; returns the PowerShell that deletes that shadow (and only it). */
export function makeDeleteShadowScript(id: string): string {
  if (!/^\{[0-9A-Fa-f-]{36}\}$/.test(id)) throw new CaptureError('deleting the shadow copy', `not a shadow ID: ${id}`);
  return `Get-CimInstance Win32_ShadowCopy | Where-Object { $_.ID -eq '${id}' } | Remove-CimInstance`;
}

/** Takes a DeviceObject and a path on that volume; returns the path inside the shadow (`\\?\GLOBALROOT\…\Users\…`). */
export function shadowPath(deviceObject: string, path: string): string {
  return `${deviceObject}\\${path.replace(/^[A-Za-z]:\\/, '')}`;
}

/**
 * Takes a VM on Windows, options, the journal and a PowerShell runner; creates one shadow copy of the
 * volume holding the VM's files (atomic across them: crash-consistent, VirtualBox has no VSS writer), and
 * returns the capture reading through the shadow's DeviceObject. `release()` deletes the shadow (a
 * ClientAccessible shadow outlives the process and reboots, so the journal records it first). Throws
 * CaptureError with the documented message for each return code.
 */
export async function captureVss(
  info: VmInfo,
  options: ResolvedCaptureOptions,
  journal: CaptureJournal,
  powershell: PowerShellRunner,
): Promise<Capture> {
  const sources = await vmFiles(info);
  const volumes = new Set(sources.map((f) => /^([A-Za-z]:)\\/.exec(f.sourcePath)?.[1]?.toUpperCase() ?? '?'));
  if (volumes.size !== 1 || volumes.has('?'))
    throw new CaptureError(
      'choosing the volume',
      `the VM's files must sit on one drive letter, found ${[...volumes].join(', ')}`,
    );
  const volume = `${[...volumes][0]}\\`;
  const out = await powershell(makeCreateShadowScript(volume));
  let answer: { ReturnValue?: number; ShadowID?: string; DeviceObject?: string };
  try {
    answer = JSON.parse(out.stdout.trim());
  } catch (error) {
    throw new CaptureError(
      'creating the shadow copy',
      `PowerShell said: ${out.stderr.trim() || out.stdout.trim()}`,
      error,
    );
  }
  const code = answer.ReturnValue ?? 13;
  if (code !== 0 || !answer.ShadowID || !answer.DeviceObject) {
    throw new CaptureError(
      'creating the shadow copy',
      `Win32_ShadowCopy.Create returned ${code}: ${SHADOW_CREATE_RESULTS[code] ?? 'Unknown error'}`,
    );
  }
  const shadowId = answer.ShadowID;
  const id = await journal.intend(options.job, { kind: 'shadow', id: shadowId });
  crashPoint('shadow-created');
  const files = sources.map((f) => ({ ...f, readPath: shadowPath(answer.DeviceObject as string, f.sourcePath) }));
  return {
    method: 'vss',
    vm: info,
    files,
    consistency: 'crash',
    pausedMs: 0,
    frozenMs: 0,
    verify: async () => true,
    release: async () => {
      const result = await powershell(makeDeleteShadowScript(shadowId));
      if (result.exitCode !== 0) throw new CaptureError('deleting the shadow copy', result.stderr.trim());
      await journal.done(id);
    },
  };
}
