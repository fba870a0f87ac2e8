import { DEFAULT_WINDOW, decodeFrame, type Frame, TransferServerMessage, VrsError } from '@vrs/protocol';
import type WebSocket from 'ws';
import { makePinnedWebSocket } from './pinned-websocket.js';

/** Bytes queued in the socket before `sendFrame` waits: keeps memory flat and the link full. */
export const SEND_HIGH_WATER = 8 * 1024 * 1024;

/** How long a full send queue may stay full before the link counts as dead. */
export const STALL_MS = 60_000;

type Ready = Extract<TransferServerMessage, { type: 'ready' }>;

/**
 * The agent's side of one transfer socket (`/transfer`): says hello with the job-scoped token, then sends
 * frames with backpressure and flushes (snapshot), or asks for cells and receives verified frames (restore).
 * A server `error` or a lost link rejects what waits with a VrsError (FRAME_TRUNCATED for a lost link: the
 * job reconnects and resumes).
 */
export class TransferSocket {
  private waiters: {
    match: (m: TransferServerMessage) => boolean;
    resolve: (m: TransferServerMessage) => void;
    reject: (e: Error) => void;
  }[] = [];
  private frames: Frame[] = [];
  private frameWake: (() => void) | null = null;
  private failure: Error | null = null;
  private seq = 0;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? this.onFrame(data) : this.onText(data)));
    socket.on('error', (error) => this.fail(toVrsError(error)));
    socket.on('close', (code, reason) =>
      this.fail(
        new VrsError('FRAME_TRUNCATED', `the transfer link closed (${code}${reason.length ? ` ${reason}` : ''})`),
      ),
    );
  }

  /** Takes the server, its pinned fingerprint, the job and its token; returns the socket and the server's `ready`. */
  static async open(o: {
    server: string;
    fingerprint: string;
    job: string;
    token: string;
  }): Promise<{ socket: TransferSocket; ready: Ready }> {
    const Pinned = makePinnedWebSocket(o.fingerprint);
    const ws = new Pinned(`${o.server.replace(/\/$/, '')}/transfer`);
    const socket = new TransferSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (error) => reject(toVrsError(error)));
      ws.once('close', () => reject(new VrsError('FRAME_TRUNCATED', 'the transfer link closed before it opened')));
    });
    const ready = socket.expect((m) => m.type === 'ready');
    ws.send(JSON.stringify({ type: 'hello', job: o.job, token: o.token }));
    return { socket, ready: (await ready) as Ready };
  }

  /**
   * Takes a frame's bytes; sends it once the socket's queue is below the high-water mark. A queue that does
   * not shrink for STALL_MS means the link is dead without saying so (a half-open connection): the socket is
   * dropped and FRAME_TRUNCATED thrown, so the job reconnects.
   */
  async sendFrame(bytes: Uint8Array): Promise<void> {
    let lowest = this.socket.bufferedAmount;
    let since = Date.now();
    while (this.socket.bufferedAmount > SEND_HIGH_WATER) {
      this.throwIfFailed();
      if (this.socket.bufferedAmount < lowest) {
        lowest = this.socket.bufferedAmount;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) {
        this.fail(
          new VrsError('FRAME_TRUNCATED', `the server took nothing for ${STALL_MS / 1000} s: dropping the link`),
        );
        this.socket.terminate();
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    this.throwIfFailed();
    this.socket.send(bytes);
  }

  /** Returns once the server verified and staged every frame sent so far; resolves with its frame count. */
  async flush(): Promise<number> {
    this.throwIfFailed();
    const seq = ++this.seq;
    const answer = this.expect((m) => m.type === 'flushed' && m.seq === seq);
    this.socket.send(JSON.stringify({ type: 'flush', seq }));
    const timer = setTimeout(() => {
      this.fail(new VrsError('FRAME_TRUNCATED', 'the server did not confirm the frames in time: dropping the link'));
      this.socket.terminate();
    }, 10 * STALL_MS);
    const message = await answer.finally(() => clearTimeout(timer));
    return message.type === 'flushed' ? message.frames : 0;
  }

  /**
   * Takes a disk and positions; yields the cells as verified frames, in the server's order. Each cell is
   * acknowledged once the consumer asks for the next one (it has written this one), so the server never has
   * more than `window` cells on their way.
   */
  async *want(disk: string, positions: readonly number[], window = DEFAULT_WINDOW): AsyncGenerator<Frame> {
    this.throwIfFailed();
    const first = positions[0] ?? 0;
    let served: number | null = null;
    const done = this.expect((m) => m.type === 'served' && m.disk === disk && m.first === first).then((m) => {
      served = m.type === 'served' ? m.count : 0;
      this.frameWake?.();
    });
    done.catch(() => this.frameWake?.());
    this.socket.send(JSON.stringify({ type: 'want', disk, positions, window }));
    let received = 0;
    while (true) {
      const frame = this.frames.shift();
      if (frame) {
        received++;
        yield frame;
        this.throwIfFailed();
        this.socket.send(JSON.stringify({ type: 'ack', cells: 1 }));
        continue;
      }
      if (served !== null && received >= served) return;
      this.throwIfFailed();
      await new Promise<void>((resolve) => {
        this.frameWake = resolve;
      });
      this.frameWake = null;
    }
  }

  /** Closes the socket (normal end). */
  close(): void {
    this.failure ??= new VrsError('FRAME_TRUNCATED', 'the transfer socket was closed');
    this.socket.close(1000);
  }

  private onFrame(data: Buffer): void {
    try {
      this.frames.push(decodeFrame(data));
    } catch (error) {
      this.fail(error as Error);
    }
    this.frameWake?.();
  }

  private onText(data: Buffer): void {
    const parsed = TransferServerMessage.safeParse(JSON.parse(data.toString('utf8')));
    if (!parsed.success) {
      this.fail(new VrsError('FRAME_MALFORMED', 'the server sent a message vrs cannot read'));
      return;
    }
    const message = parsed.data;
    if (message.type === 'error') {
      this.fail(new VrsError(message.code, `server: ${message.message}`, { hint: message.hint }));
      return;
    }
    const index = this.waiters.findIndex((w) => w.match(message));
    if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve(message);
  }

  private expect(match: (m: TransferServerMessage) => boolean): Promise<TransferServerMessage> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ match, resolve, reject }));
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const w of this.waiters.splice(0)) w.reject(error);
    this.frameWake?.();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

function toVrsError(error: Error): Error {
  return error instanceof VrsError
    ? error
    : new VrsError('FRAME_TRUNCATED', `the transfer link failed: ${error.message}`, { cause: error });
}
