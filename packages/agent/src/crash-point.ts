import { agentEnv } from './env.js';

/**
 * Takes a point's name (e.g. `snapshot:sent:3`, `restore:fetched:5`, `snapshot:sealing`); kills this process
 * on the spot with SIGKILL when the kill tests asked for that point (`VRS_AGENT_CRASH_AT`). Does nothing
 * otherwise.
 */
export function crashPoint(point: string): void {
  if (agentEnv.crashAt !== '' && agentEnv.crashAt === point) process.kill(process.pid, 'SIGKILL');
}
