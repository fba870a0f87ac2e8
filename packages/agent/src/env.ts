/**
 * The only place the agent reads process.env. `VRS_AGENT_CONFIG` overrides the directory the agent keeps
 * its state in (the enrolled credential); empty means the OS's default (see `getConfigDir`).
 */
export const agentEnv = {
  configDir: process.env.VRS_AGENT_CONFIG ?? '',
  /** `VRS_AGENT_CRASH_AT=<point>`: the kill tests stop the agent with SIGKILL at that point (see crashPoint). */
  crashAt: process.env.VRS_AGENT_CRASH_AT ?? '',
};

/** The variable that names the agent's config directory; the service definitions set it. */
export const CONFIG_DIR_VAR = 'VRS_AGENT_CONFIG';
