import { z } from 'zod';
import { DisplayName, Timestamp, Uuid } from './common.js';

/** The operating systems an agent runs on (process.platform values). */
export const HostOs = z.enum(['linux', 'darwin', 'win32']);

/** A machine running VirtualBox and vrs-agent, enrolled with one server. */
export const Host = z.object({
  id: Uuid,
  name: DisplayName,
  os: HostOs,
  agentVersion: z.string().max(40),
  virtualBoxVersion: z.string().max(40).nullable(),
  enrolledAt: Timestamp,
  lastSeenAt: Timestamp.nullable(),
  online: z.boolean(),
  revoked: z.boolean(),
});
export type Host = z.infer<typeof Host>;
