import { type GuestRunOptions, guestRun, type VirtualBox } from '@vrs/virtualbox';
import { CaptureError } from './capture-error.js';
import type { QuiesceHooks } from './capture-types.js';
import { crashPoint } from './env.js';
import type { CaptureJournal } from './journal.js';

/**
 * Takes the driver, a VM, the hooks, the journal, the job and the work to do while the guest is frozen;
 * runs the freeze command, the work, and ALWAYS the thaw (also when the work throws; the journal lets a
 * restarted agent thaw after a crash). Returns the work's result, whether the freeze succeeded (then the
 * capture is application-consistent) and how long the guest was frozen. Throws what the work throws.
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
  let quiesced = false;
  let result: T;
  try {
    const outcome = await guestRun(vbox.run, vm, { ...guest, command: hooks.freeze }).catch(() => null);
    quiesced = outcome?.kind === 'exited' && outcome.guestExitCode === 0;
    crashPoint('frozen');
    result = await work();
  } finally {
    await thaw(vbox, vm, { ...guest, command: hooks.thaw });
    await journal.done(id);
  }
  return { result, quiesced, frozenMs: Number(process.hrtime.bigint() - started) / 1e6 };
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
