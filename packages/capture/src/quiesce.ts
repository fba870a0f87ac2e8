import { type GuestRunOptions, guestRun, VBoxError, type VirtualBox } from '@vrs/virtualbox';
import { CaptureError } from './capture-error.js';
import type { QuiesceHooks } from './capture-types.js';
import { crashPoint } from './env.js';
import type { CaptureJournal } from './journal.js';

/**
 * What a freeze command did: `frozen` (it exited 0), `refused` (it ran and failed, or could not start:
 * nothing is frozen, as with fsfreeze) or `unknown` (it timed out or was killed: it may have frozen).
 */
type FreezeResult = 'frozen' | 'refused' | 'unknown';

/**
 * Takes the driver, a VM, the hooks, the journal, the job and the work to do while the guest is frozen;
 * runs the freeze command, the work, and ALWAYS the thaw (also when the work throws or the freeze failed;
 * the journal lets a restarted agent thaw after a crash). Returns the work's result, whether the freeze
 * succeeded (then the capture is application-consistent) and how long the guest may have been frozen (0
 * when the freeze was refused). Throws what the work throws, and CaptureError when the thaw fails after a
 * freeze that succeeded or timed out (the guest may still be frozen; the journal intent stays open). After
 * a refused freeze, a failing thaw is expected (fsfreeze --unfreeze of a thawed file system fails).
 */
export async function withQuiesce<T>(
  vbox: VirtualBox,
  vm: string,
  hooks: QuiesceHooks | undefined,
  journal: CaptureJournal,
  job: string,
  work: () => Promise<T>,
): Promise<{ result: T; quiesced: boolean; frozenMs: number }> {
  if (!hooks) return { result: await work(), quiesced: false, frozenMs: 0 };
  const guest = {
    username: hooks.username,
    ...(hooks.passwordFile ? { passwordFile: hooks.passwordFile } : {}),
    timeoutMs: hooks.timeoutMs ?? 10_000,
  };
  const id = await journal.intend(job, { kind: 'frozen', vm, thaw: hooks.thaw, ...guest });
  const started = process.hrtime.bigint();
  let froze: FreezeResult = 'unknown';
  let result: T;
  try {
    froze = await freeze(vbox, vm, { ...guest, command: hooks.freeze });
    crashPoint('frozen');
    result = await work();
  } finally {
    await thaw(vbox, vm, { ...guest, command: hooks.thaw }).catch((error: unknown) => {
      if (froze !== 'refused') throw error;
    });
    await journal.done(id);
  }
  const frozenMs = froze === 'refused' ? 0 : Number(process.hrtime.bigint() - started) / 1e6;
  return { result, quiesced: froze === 'frozen', frozenMs };
}

/** Takes the driver, a VM and the freeze command; runs it and returns what it did (never throws). */
async function freeze(vbox: VirtualBox, vm: string, options: GuestRunOptions): Promise<FreezeResult> {
  try {
    const outcome = await guestRun(vbox.run, vm, options);
    if (outcome.kind !== 'exited') return 'unknown';
    return outcome.guestExitCode === 0 ? 'frozen' : 'refused';
  } catch (error) {
    // Logon refused, Guest Additions not ready, no such program: the command never started.
    return error instanceof VBoxError && error.code === 'GUEST_EXEC_FAILED' ? 'refused' : 'unknown';
  }
}

/**
 * Runs the thaw command, three times at most. Throws CaptureError when the guest stays frozen: the journal
 * intent then stays open, so the next `recoverLeftovers()` tries again.
 */
export async function thaw(vbox: VirtualBox, vm: string, options: GuestRunOptions): Promise<void> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const outcome = await guestRun(vbox.run, vm, options);
      if (outcome.kind === 'exited' && outcome.guestExitCode === 0) return;
      last = new Error(`the thaw command ended with ${JSON.stringify(outcome)}`);
    } catch (error) {
      last = error;
    }
  }
  throw new CaptureError('thawing the guest', `the guest may still be frozen: ${(last as Error).message}`, last);
}
