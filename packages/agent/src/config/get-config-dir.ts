import { isAbsolute } from 'node:path';
import envPaths from 'env-paths';
import { agentEnv, CONFIG_DIR_VAR } from '../env.js';
import { ConfigError } from './config-error.js';

/** The application name env-paths builds the directories from (no `-nodejs` suffix). */
export const APP_NAME = 'vrs-agent';

/**
 * Takes the environment (for tests); returns the directory where the agent keeps its state: the absolute
 * path in `VRS_AGENT_CONFIG` when set, else the OS's per-user config directory through env-paths —
 * Linux `$XDG_CONFIG_HOME/vrs-agent` (`~/.config/vrs-agent`), macOS `~/Library/Preferences/vrs-agent`,
 * Windows `%APPDATA%\vrs-agent\Config`. It is the directory of the user the agent runs as, so a service
 * definition sets `VRS_AGENT_CONFIG` to the enrolling user's one. Throws ConfigError INVALID_INPUT for a
 * relative override (it would depend on the service's working directory).
 */
export function getConfigDir(env: { configDir: string } = agentEnv): string {
  if (env.configDir !== '') {
    if (!isAbsolute(env.configDir))
      throw new ConfigError(
        'INVALID_INPUT',
        env.configDir,
        `${CONFIG_DIR_VAR} must be an absolute path`,
        `Set ${CONFIG_DIR_VAR} to an absolute directory, or unset it to use the default.`,
      );
    return env.configDir;
  }
  return envPaths(APP_NAME, { suffix: '' }).config;
}
