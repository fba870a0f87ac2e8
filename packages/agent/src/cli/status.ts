import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentStatus } from '../runtime/agent-runtime.js';

/** Takes the agent's state directory; returns the running service's last status and whether it still runs. */
export async function readStatus(stateDir: string): Promise<{ status: AgentStatus | null; alive: boolean }> {
  const text = await readFile(join(stateDir, 'status.json'), 'utf8').catch(() => null);
  if (!text) return { status: null, alive: false };
  const status = JSON.parse(text) as AgentStatus;
  let alive = false;
  try {
    process.kill(status.pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  return { status, alive };
}
