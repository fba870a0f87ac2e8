import { z } from 'zod';
import { ERROR_CODE_LIST, type ErrorCode } from '../errors/error-codes.js';
import { HashHex, Uuid } from '../schemas/common.js';

/** Cells a restore's server sends ahead of the agent's acknowledgements, unless the want says otherwise. */
export const DEFAULT_WINDOW = 8;

/** The most positions one `want` may name: bounds the server's work per message. */
export const MAX_WANT_POSITIONS = 4096;

/**
 * Text messages of the transfer socket (`/transfer`), the agent's side. Binary messages are frames
 * (frame-codec). The first message is always `hello`, which carries the job-scoped token: no secret
 * travels in the upgrade request, so it goes out only after the agent checked the pinned certificate.
 */
export const TransferClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), job: Uuid, token: z.string().min(16).max(200) }),
  /** Asks for `flushed` once every frame sent before it is verified and staged. */
  z.object({ type: z.literal('flush'), seq: z.number().int().nonnegative() }),
  /**
   * Restore: asks for data frames of these cells of the job's snapshot. The server keeps at most `window`
   * of them unacknowledged: a restore killed mid-way has had at most that many cells sent for nothing.
   */
  z.object({
    type: z.literal('want'),
    disk: Uuid,
    positions: z.array(z.number().int().nonnegative()).min(1).max(MAX_WANT_POSITIONS),
    window: z.number().int().min(1).max(256).default(DEFAULT_WINDOW),
  }),
  /** Restore: this many more cells were received and written; the server may send that many more. */
  z.object({ type: z.literal('ack'), cells: z.number().int().min(1).max(MAX_WANT_POSITIONS) }),
]);
export type TransferClientMessage = z.infer<typeof TransferClientMessage>;

/** Text messages of the transfer socket, the server's side. */
export const TransferServerMessage = z.discriminatedUnion('type', [
  /** Answer to `hello`: for a snapshot, the cells already staged by an earlier connection of the same job. */
  z.object({
    type: z.literal('ready'),
    mode: z.enum(['snapshot', 'restore']),
    staged: z.record(Uuid, z.array(z.tuple([z.number().int().nonnegative(), HashHex]))),
  }),
  z.object({ type: z.literal('flushed'), seq: z.number().int().nonnegative(), frames: z.number().int().nonnegative() }),
  /** Restore: every frame of the `want` with this disk and first position was sent. */
  z.object({ type: z.literal('served'), disk: Uuid, first: z.number().int().nonnegative(), count: z.number().int() }),
  z.object({
    type: z.literal('error'),
    code: z.enum(ERROR_CODE_LIST as [ErrorCode, ...ErrorCode[]]),
    message: z.string().max(2000),
    hint: z.string().max(500),
  }),
]);
export type TransferServerMessage = z.infer<typeof TransferServerMessage>;

/** WebSocket close codes of the transfer socket: 1000 done, 1008 policy (auth, bad input), 1011 server error, 4000 idle. */
export const TransferCloseCode = { done: 1000, policy: 1008, serverError: 1011, idle: 4000 } as const;
