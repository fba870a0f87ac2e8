// node-gyp must build native addons against the running Node's own headers: the machines here cannot
// download them (toolchain.md §3, "Compiling better-sqlite3"). pnpm >= 11 passes no npm_config_* to
// install scripts, so we hand node-gyp the header directory through extraEnv.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const prefix = dirname(dirname(process.execPath));

export const hooks = {
  updateConfig(config) {
    if (existsSync(join(prefix, 'include', 'node', 'node.h'))) {
      config.extraEnv = { ...(config.extraEnv ?? {}), npm_config_nodedir: prefix };
    }
    return config;
  },
};
