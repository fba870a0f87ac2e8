import { Uuid } from '@vrs/protocol';
import { z } from 'zod';

/**
 * What a client sends as tRPC `connectionParams` (the first message on the socket, after TLS and the
 * certificate pin were checked, never in the URL): a host credential, or a person's bearer token.
 */
export const ConnectionParams = z.union([
  z.object({ host: Uuid, credential: z.string().min(16).max(200) }),
  z.object({ token: z.string().min(16).max(200) }),
  z.object({}).strict(),
]);
export type ConnectionParams = z.infer<typeof ConnectionParams>;
