import { agentEnv } from './env.js';

/**
 * Takes a point's name (`snapshot:sent:<n>`, `snapshot:sealing`, `restore:fetched:<n>`, `restore:finished`);
 * kills this process on the spot with SIGKILL when the kill tests asked for that point (`VRS_AGENT_CRASH_AT`).
 * Does nothing otherwise.
 */
export function crashPoint(point: string): void {
  if (agentEnv.crashAt !== '' && agentEnv.crashAt === point) process.kill(process.pid, 'SIGKILL');
}
