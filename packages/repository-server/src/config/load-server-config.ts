import { readFile } from 'node:fs/promises';
import { VrsError } from '@vrs/protocol';
import type { z } from 'zod';
import { ServerConfig } from './server-config.js';

/** Environment variables that override the file, and the field each sets. */
export const ENV_OVERRIDES: Record<string, (value: string) => Record<string, unknown>> = {
  VRS_DATA: (v) => ({ data: v }),
  VRS_LISTEN: (v) => ({ listen: v }),
  VRS_LOG_LEVEL: (v) => ({ logLevel: v }),
  VRS_WEBHOOK: (v) => ({ webhook: v }),
  VRS_PUBLIC_URL: (v) => ({ publicUrl: v }),
  VRS_CONSOLE_DIR: (v) => ({ consoleDir: v }),
};

/** Takes zod issues; returns one line per issue with its path, e.g. `borg.lockWaitSeconds: too big`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('\n');
}

/**
 * Takes an optional JSON config file, command-line values and the environment; returns the validated
 * configuration (file < environment < command line). Throws INVALID_INPUT listing EVERY invalid field
 * with its path at once, or naming the file that cannot be read or parsed.
 */
export async function loadServerConfig(
  options: { file?: string; cli?: Record<string, unknown>; env?: Record<string, string | undefined> } = {},
): Promise<ServerConfig> {
  let fromFile: Record<string, unknown> = {};
  if (options.file) {
    try {
      fromFile = JSON.parse(await readFile(options.file, 'utf8'));
    } catch (cause) {
      throw new VrsError(
        'INVALID_INPUT',
        `cannot read the configuration ${options.file}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  const fromEnv: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.env ?? {})) {
    const set = ENV_OVERRIDES[key];
    if (set && value !== undefined) Object.assign(fromEnv, set(value));
  }
  const parsed = ServerConfig.safeParse({ ...fromFile, ...fromEnv, ...(options.cli ?? {}) });
  if (!parsed.success) {
    throw new VrsError(
      'INVALID_INPUT',
      `invalid configuration${options.file ? ` (${options.file})` : ''}:\n${formatIssues(parsed.error.issues)}`,
    );
  }
  return parsed.data;
}
