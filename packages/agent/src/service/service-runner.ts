import { execa } from 'execa';
import { agentLogger } from '../agent-logger.js';
import { ServiceError } from './service-error.js';

/** What a service-manager command printed and returned. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a command (systemctl, launchctl) with argv, never through a shell; tests inject one to check argv. */
export type ServiceRunner = (command: string, args: readonly string[]) => Promise<CommandResult>;

/** The real runner: execa, `LANG=C`, stdin closed, never rejecting on the exit code. */
export const runServiceCommand: ServiceRunner = async (command, args) => {
  const result = await execa(command, [...args], { reject: false, stdin: 'ignore', env: { LANG: 'C' } });
  if (result.exitCode === undefined)
    throw new ServiceError('INTERNAL', `${command} could not run: ${result.shortMessage}`, {
      argv: [command, ...args],
      hint: `Check that ${command} is installed and on PATH.`,
      cause: result.cause,
    });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
};

/**
 * Takes a runner, a command, its argv and the exit codes that are fine besides 0; runs it and returns its
 * exit code. Throws ServiceError INTERNAL with the stderr lines (and FORBIDDEN when it says permission was
 * denied) for any other exit.
 */
export async function runChecked(
  run: ServiceRunner,
  command: string,
  args: readonly string[],
  tolerate: readonly number[] = [],
): Promise<number> {
  agentLogger('service').debug({ argv: [command, ...args] }, command);
  const result = await run(command, args);
  if (result.exitCode === 0 || tolerate.includes(result.exitCode)) return result.exitCode;
  const stderrLines = result.stderr.split('\n').filter(Boolean);
  const denied = stderrLines.some((l) =>
    /permission denied|access denied|not permitted|must be root|interactive authentication/i.test(l),
  );
  throw new ServiceError(
    denied ? 'FORBIDDEN' : 'INTERNAL',
    `${command} ${args.join(' ')} failed (exit ${result.exitCode})${stderrLines.length ? `: ${stderrLines.at(-1)}` : ''}`,
    {
      argv: [command, ...args],
      exitCode: result.exitCode,
      stderrLines,
      hint: denied
        ? 'Run it as root: sudo vrs-agent service install (or uninstall).'
        : `See ${command}'s output in the error details, fix the cause, then run the command again.`,
    },
  );
}
