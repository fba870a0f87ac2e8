/**
 * The only place the capture package reads process.env. `VRS_CAPTURE_CRASH_AT` names a step at which the
 * process kills itself (SIGKILL): the kill-mid-capture tests use it to stop at each step exactly.
 */
export const captureEnv = {
  crashAt: process.env.VRS_CAPTURE_CRASH_AT ?? '',
};

/** Takes a step name; kills this process on the spot when the crash tests asked for that step. */
export function crashPoint(step: string): void {
  if (captureEnv.crashAt === step) process.kill(process.pid, 'SIGKILL');
}
