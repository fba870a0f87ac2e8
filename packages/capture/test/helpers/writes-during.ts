import { setTimeout as sleep } from 'node:timers/promises';
import { readWriterLog } from '@vrs/virtualbox/test-double';

/**
 * Takes the double's home, a VM's UUID and a span in milliseconds; returns how many writes the guest writer
 * logged during that span (0 while the guest is frozen or paused).
 */
export async function writesDuring(home: string, vm: string, ms: number): Promise<number> {
  const before = (await readWriterLog(home, vm)).length;
  await sleep(ms);
  return (await readWriterLog(home, vm)).length - before;
}
