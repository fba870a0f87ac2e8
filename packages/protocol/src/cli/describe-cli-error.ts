import { VrsError } from '../errors/vrs-error.js';

/** The exit codes every vrs command shares: 0 ok, 2 usage, 3 failed (the message says what to do), 4 a bug. */
export const CLI_EXIT = { ok: 0, usage: 2, failed: 3, internal: 4 } as const;

/**
 * Takes a command's name and the error its run threw; returns what to print on stderr and the exit code:
 * a usage error from the argument parser (commander's, recognised by its `code` and `exitCode`), a VrsError
 * with its hint, a validation error (zod) naming each bad field, or anything else as a bug with its stack.
 * Pure: the caller writes the text.
 */
export function describeCliError(command: string, error: unknown): { text: string; exitCode: number } {
  const e = error as { code?: unknown; exitCode?: unknown; name?: unknown; issues?: unknown };
  if (typeof e?.code === 'string' && e.code.startsWith('commander.') && typeof e.exitCode === 'number') {
    return { text: '', exitCode: e.exitCode === 0 ? CLI_EXIT.ok : CLI_EXIT.usage };
  }
  if (error instanceof VrsError) {
    return { text: `${command}: ${error.message}\n  what to do: ${error.hint}\n`, exitCode: CLI_EXIT.failed };
  }
  if (e?.name === 'ZodError' && Array.isArray(e.issues)) {
    const issues = e.issues as { path: (string | number)[]; message: string }[];
    return {
      text: `${command}: ${issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}\n`,
      exitCode: CLI_EXIT.usage,
    };
  }
  return {
    text: `${command}: internal error: ${(error as Error)?.stack ?? String(error)}\n`,
    exitCode: CLI_EXIT.internal,
  };
}
