/**
 * The only place the server package reads process.env directly (configuration comes through
 * loadServerConfig, which the command line hands process.env). `VRS_SERVER_CRASH_AT=<point>` makes the
 * process kill itself with SIGKILL at that point: the restart tests use it to stop at an exact step.
 */
export const serverEnv = {
  crashAt: process.env.VRS_SERVER_CRASH_AT ?? '',
};

/**
 * Takes a point's name (`transfer:frames:<n>`, `seal:received`, `seal:committed`); SIGKILLs this process when
 * asked to.
 */
export function crashPoint(point: string): void {
  if (serverEnv.crashAt !== '' && serverEnv.crashAt === point) process.kill(process.pid, 'SIGKILL');
}
