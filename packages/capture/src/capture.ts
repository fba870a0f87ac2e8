import { dirname, join } from 'node:path';
import type { VirtualBox, VmInfo } from '@vrs/virtualbox';
import { CaptureError } from './capture-error.js';
import type { Capture, CaptureOptions, ResolvedCaptureOptions } from './capture-types.js';
import type { CaptureJournal } from './journal.js';
import { captureBtrfsSnapshot } from './providers/btrfs-snapshot.js';
import { captureOffline } from './providers/offline.js';
import { captureReflink } from './providers/reflink.js';
import { captureSavestate } from './providers/savestate.js';
import { captureVboxTransient } from './providers/vbox-transient.js';
import { captureVss, type PowerShellRunner } from './providers/vss.js';
import { probeHost, selectProvider } from './select-provider.js';

/** Extra parts a capture may need: the PowerShell runner for VSS. */
export interface CaptureDeps {
  powershell?: PowerShellRunner;
}

/**
 * Takes the driver, a VM (name or UUID), options and the crash journal; inspects the VM (once: the work
 * directory defaults from that inspection), picks the provider (or the one the policy forces) and returns a point-in-time view of its files. Every step that
 * leaves something behind is journaled first. Throws CaptureError (nothing left behind) or VBoxError.
 */
export async function capture(
  vbox: VirtualBox,
  vm: string,
  options: CaptureOptions,
  journal: CaptureJournal,
  deps: CaptureDeps = {},
): Promise<Capture> {
  const info = await vbox.inspect(vm);
  const method = options.method ?? selectProvider(info, await probeHost(info));
  const resolved: ResolvedCaptureOptions = { ...options, workDir: options.workDir ?? defaultWorkDir(info) };
  switch (method) {
    case 'offline':
      return captureOffline(vbox, info);
    case 'reflink':
      return captureReflink(vbox, info, resolved, journal);
    case 'btrfs-snapshot':
      return captureBtrfsSnapshot(vbox, info, resolved, journal);
    case 'vbox-transient':
      return captureVboxTransient(vbox, info, resolved, journal);
    case 'savestate':
      return captureSavestate(vbox, info, resolved, journal);
    case 'vss':
      if (!deps.powershell) throw new CaptureError('choosing how to capture', 'VSS needs Windows PowerShell');
      return captureVss(info, resolved, journal, deps.powershell);
  }
}

/** Takes a VM; returns the default work directory of its captures: `.vrs-capture` in the VM's folder. */
export function defaultWorkDir(info: VmInfo): string {
  return join(dirname(info.configFile), '.vrs-capture');
}

/**
 * Takes what `capture` takes and a reader; captures, reads, and releases (always). For an offline capture
 * whose VM started during the read (`verify()` false), it captures and reads again, three times at most.
 * Returns the reader's result and the capture it came from. Throws CaptureError when the VM never held still.
 */
export async function withCapture<T>(
  vbox: VirtualBox,
  vm: string,
  options: CaptureOptions,
  journal: CaptureJournal,
  read: (capture: Capture) => Promise<T>,
  deps: CaptureDeps = {},
): Promise<{ result: T; capture: Capture }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const taken = await capture(vbox, vm, options, journal, deps);
    try {
      const result = await read(taken);
      if (await taken.verify()) return { result, capture: taken };
    } finally {
      await taken.release();
    }
  }
  throw new CaptureError('reading the VM files', 'the VM kept changing state during the read; try again later');
}
