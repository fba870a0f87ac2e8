import type { Dialect } from './dialect.js';
import type { DoublePaths } from './double-paths.js';
import type { Io } from './io.js';

/** What every command handler gets: where to write, which version to imitate, where state lives. */
export interface CommandContext {
  io: Io;
  dialect: Dialect;
  home: string;
  paths: DoublePaths;
  cwd: string;
}
