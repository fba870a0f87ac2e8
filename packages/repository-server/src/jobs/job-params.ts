import { CaptureMethod, DisplayName, Uuid } from '@vrs/protocol';
import { z } from 'zod';

/** What a job was asked to do, and how far its server side got (kept in the Job row's `params`). */
export const JobParams = z.object({
  label: DisplayName.optional(),
  captureMethod: CaptureMethod.nullable().optional(),
  powerOff: z.boolean().optional(),
  withConfig: z.boolean().optional(),
  /** restore-as-new: the new VM's name. */
  name: DisplayName.optional(),
  /** prune: only say what would go. */
  dryRun: z.boolean().optional(),
  /** check: archives too, not only the repository. */
  archives: z.boolean().optional(),
  /** snapshot: the mirror commit is done; only `borg create` remains (a restart finishes it). */
  mirrorCommitted: z.boolean().optional(),
  /** restore-as-new: the VM the host registered. */
  newVmUuid: Uuid.optional(),
  /** prune: what went (or would go). */
  pruned: z.array(z.string()).optional(),
});
export type JobParams = z.infer<typeof JobParams>;
