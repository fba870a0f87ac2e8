import type { VrsClient } from '../../src/connection/vrs-client.js';

/** A schedule that never fires (30 February): what tests run on, so that no scheduled job lands among theirs. */
export const NEVER = '0 0 30 2 *';

/**
 * Takes an admin client and a cron schedule; makes it the default policy's (the one every VM without its own
 * follows). The seed's hourly default fired at :00 in the middle of tests that ask for jobs themselves.
 */
export async function setDefaultSchedule(admin: VrsClient, schedule: string): Promise<void> {
  const policy = (await admin.policies.list.query()).find((p) => p.name === 'default');
  if (!policy) throw new Error('the server has no default policy');
  const { vms: _vms, ...fields } = policy;
  await admin.policies.update.mutate({ ...fields, schedule });
}
