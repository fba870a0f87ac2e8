/** The only place the CLI reads process.env: `VRS_CLI_CONFIG` overrides where `vrs login` keeps its session. */
export const cliEnv = {
  configDir: process.env.VRS_CLI_CONFIG ?? '',
};
