import { execa } from 'execa';
import { VBoxError } from './vbox-error.js';
import { ERROR_PREFIX, vboxErrorFor } from './vbox-error-for.js';
import { vboxLogger } from './vbox-logger.js';

/** The result of a VBoxManage run that succeeded. */
export interface VBoxRun {
  stdout: string;
  stderr: string;
}

/** Runs VBoxManage with argv (after the binary); resolves with its output or rejects with a VBoxError. */
export type VBoxRunner = (
  args: readonly string[],
  options?: { retry?: boolean; timeoutMs?: number },
) => Promise<VBoxRun>;

/** Read-only calls are retried like Vagrant does: 3 tries, 1 s apart. */
export const RETRIES = 3;
export const RETRY_DELAY_MS = 1000;

/** Takes argv; returns it with the value after `--password` masked (guestcontrol prefers --passwordfile). */
export function maskVBoxArgv(args: readonly string[]): string[] {
  return args.map((arg, i) => (args[i - 1] === '--password' ? '***' : arg));
}

/**
 * Takes the VBoxManage path; returns a runner. Every run uses `LANG=C`, no shell, stdin closed, CRLF
 * normalised. A non-zero exit OR a `VBoxManage: error:` line on stderr is a failure (VirtualBox sometimes
 * exits 0 after an error; reference §1.0), turned into a VBoxError by `vboxErrorFor`. With `retry`, a failed
 * read-only call is tried again (VBoxSVC can be briefly busy), except for errors that will not change
 * (VM or snapshot not found).
 */
export function makeVBoxRunner(binary: string): VBoxRunner {
  const log = vboxLogger();
  return async (args, options = {}) => {
    const argv = [binary, ...maskVBoxArgv(args)];
    const command = args.slice(0, args[0] === 'snapshot' || args[0] === 'controlvm' ? 3 : 1).join(' ');
    for (let attempt = 1; ; attempt++) {
      log.debug({ argv, attempt }, `VBoxManage ${command}`);
      const result = await execa(binary, [...args], {
        env: { LANG: 'C', LC_ALL: 'C' },
        stdin: 'ignore',
        reject: false,
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      });
      const stdout = String(result.stdout).replace(/\r\n/g, '\n');
      const stderr = String(result.stderr).replace(/\r\n/g, '\n');
      const stderrLines = stderr.split('\n').filter(Boolean);
      const failed = result.exitCode !== 0 || stderrLines.some((l) => ERROR_PREFIX.test(l));
      if (!failed) return { stdout, stderr };
      const error =
        result.exitCode === undefined && result.failed && !result.timedOut
          ? new VBoxError(
              'VBOX_UNAVAILABLE',
              `VBoxManage could not run: ${result.shortMessage}`,
              { argv, exitCode: undefined, stdout, stderrLines },
              { cause: result.cause },
            )
          : vboxErrorFor({ argv, exitCode: result.exitCode, stdout, stderrLines }, command);
      const permanent =
        error.code === 'VM_NOT_FOUND' || error.code === 'SNAPSHOT_NOT_FOUND' || error.code === 'VBOX_UNAVAILABLE';
      if (!options.retry || permanent || attempt >= RETRIES) throw error;
      log.debug({ err: error.message, attempt }, 'VBoxManage failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  };
}
