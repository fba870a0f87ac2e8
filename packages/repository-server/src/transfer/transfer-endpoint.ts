import {
  cellHash,
  encodeFrame,
  hintFor,
  TransferClientMessage,
  TransferCloseCode,
  type TransferServerMessage,
  VrsError,
} from '@vrs/protocol';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { crashPoint } from '../env.js';
import type { Metrics } from '../observability/metrics.js';
import type { TransferEntry, TransferRegistry } from './transfer-registry.js';

/** Frames waiting to be staged before the socket stops reading: bounds memory to this many frames. */
export const MAX_PENDING_FRAMES = 4;

/** Bytes queued for sending before a restore waits for the socket to drain. */
export const SEND_HIGH_WATER = 4 * 1024 * 1024;

/** How long a new socket may take to say hello. */
const HELLO_TIMEOUT_MS = 10_000;

/**
 * Serves one transfer socket. The first message must be `hello` with the job-scoped token. Then, for a
 * snapshot, binary frames are verified and staged one after another (the socket is paused while
 * MAX_PENDING_FRAMES wait, so memory stays bounded whatever the client sends) and `flush` is answered once
 * everything before it is staged; for a restore, each `want` is answered with verified data frames (lz4
 * where it pays), sent as fast as the socket drains. Any bad message gets an `error` and the socket is
 * closed; nothing half-received is staged. An idle socket is closed after `idleMs`.
 */
export function serveTransfer(
  socket: WebSocket,
  o: { registry: TransferRegistry; idleMs: number; log: Logger; metrics: Metrics },
): TransferStats {
  const stats: TransferStats = { frames: 0, maxPending: 0 };
  let entry: TransferEntry | null = null;
  let pending = 0;
  let chain: Promise<void> = Promise.resolve();
  let frames = 0;
  // Restore: frames sent and not yet acknowledged, and a wake-up for a sender waiting on the window.
  let unacked = 0;
  let acked: (() => void) | null = null;
  let idle: NodeJS.Timeout;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(
      () => fail('FRAME_TRUNCATED', 'no message for too long: closing', TransferCloseCode.idle),
      o.idleMs,
    );
  };
  const hello = setTimeout(() => fail('UNAUTHENTICATED', 'no hello', TransferCloseCode.policy), HELLO_TIMEOUT_MS);
  touch();

  const send = (message: TransferServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const fail = (code: VrsError['code'], message: string, close: number = TransferCloseCode.policy) => {
    send({ type: 'error', code, message: message.slice(0, 2000), hint: hintFor(code) });
    socket.close(close, code);
    cleanup();
  };
  const cleanup = () => {
    clearTimeout(idle);
    clearTimeout(hello);
  };
  const failWith = (error: unknown) => {
    if (error instanceof VrsError) return fail(error.code, error.message);
    o.log.error({ err: error, job: entry?.jobId }, 'transfer failed');
    fail('INTERNAL', 'the server failed while handling the transfer', TransferCloseCode.serverError);
  };
  /** Runs work after everything queued before it, one at a time. */
  const enqueue = (work: () => Promise<void>) => {
    chain = chain.then(work).catch(failWith);
  };

  socket.on('close', cleanup);
  socket.on('error', (error) => o.log.warn({ err: error, job: entry?.jobId }, 'transfer socket error'));
  socket.on('message', (data: RawData, isBinary: boolean) => {
    touch();
    const bytes = toBytes(data);
    if (!isBinary) return onText(bytes);
    if (!entry) return fail('UNAUTHENTICATED', 'send hello before any frame');
    if (entry.mode !== 'snapshot') return fail('FRAME_MALFORMED', 'a restore socket takes no frames');
    const session = entry.session;
    pending++;
    stats.maxPending = Math.max(stats.maxPending, pending);
    if (pending >= MAX_PENDING_FRAMES) socket.pause();
    o.metrics.transferBytes.inc({ direction: 'in' }, bytes.length);
    enqueue(async () => {
      try {
        await session.handleFrame(bytes);
        frames++;
        stats.frames = frames;
        crashPoint(`transfer:frames:${frames}`);
      } finally {
        pending--;
        if (pending < MAX_PENDING_FRAMES && socket.isPaused) socket.resume();
      }
    });
  });

  function onText(bytes: Uint8Array) {
    let parsed: ReturnType<typeof TransferClientMessage.safeParse>;
    try {
      parsed = TransferClientMessage.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    } catch {
      return fail('FRAME_MALFORMED', 'a text message must be JSON');
    }
    if (!parsed.success) return fail('FRAME_MALFORMED', `bad message: ${parsed.error.issues[0]?.message ?? ''}`);
    const message = parsed.data;
    if (message.type === 'hello') {
      if (entry) return fail('FRAME_MALFORMED', 'hello was already said');
      const found = o.registry.authenticate(message.job, message.token);
      if (!found) return fail('UNAUTHENTICATED', 'the transfer token is not valid for this job');
      entry = found;
      clearTimeout(hello);
      const current = found;
      enqueue(async () => {
        const staged = current.mode === 'snapshot' ? await current.session.stagedWithHashes() : {};
        send({ type: 'ready', mode: current.mode, staged });
      });
      return;
    }
    if (!entry) return fail('UNAUTHENTICATED', 'send hello first');
    if (message.type === 'ack') {
      unacked = Math.max(0, unacked - message.cells);
      acked?.();
      return;
    }
    if (message.type === 'flush') {
      const seq = message.seq;
      enqueue(async () => send({ type: 'flushed', seq, frames }));
      return;
    }
    if (entry.mode !== 'restore') return fail('FRAME_MALFORMED', 'want is for restores');
    const reader = entry.reader;
    enqueue(async () => {
      const manifest = reader.manifest(message.disk);
      let count = 0;
      for await (const cell of reader.readCells(message.disk, message.positions)) {
        const frame = encodeFrame({
          type: 'data',
          disk: message.disk,
          position: cell.position,
          hash: cellHash(manifest, cell.position),
          payload: cell.bytes,
        });
        while (unacked >= message.window && socket.readyState === socket.OPEN) {
          await new Promise<void>((resolve) => {
            acked = resolve;
            setTimeout(resolve, 1000);
          });
          acked = null;
        }
        await drained(socket);
        socket.send(frame);
        unacked++;
        o.metrics.transferBytes.inc({ direction: 'out' }, frame.length);
        count++;
      }
      send({ type: 'served', disk: message.disk, first: message.positions[0] ?? 0, count });
    });
  }
  return stats;
}

/** What a transfer socket handled: frames staged, and the most that ever waited at once (memory bound). */
export interface TransferStats {
  frames: number;
  maxPending: number;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** Resolves once the socket's send buffer is below the high-water mark (or the socket closed). */
async function drained(socket: WebSocket): Promise<void> {
  while (socket.bufferedAmount > SEND_HIGH_WATER && socket.readyState === socket.OPEN) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (socket.readyState !== socket.OPEN) throw new VrsError('FRAME_TRUNCATED', 'the transfer socket closed');
}
