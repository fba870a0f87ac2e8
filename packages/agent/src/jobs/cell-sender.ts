import { type FileHandle, open } from 'node:fs/promises';
import { cellHash, cellRange, encodeFrame, type Manifest, VrsError } from '@vrs/protocol';
import type { TransferSocket } from '../connection/transfer-socket.js';
import { crashPoint } from '../crash-point.js';

/** What a sender did. `wireBytes` are frame bytes (lz4 where it paid), `rawBytes` the cells' own size. */
export interface SendCounts {
  cells: number;
  references: number;
  rawBytes: number;
  wireBytes: number;
}

/**
 * Sends one file's cells over a transfer socket as they are queued (while the rest of the file is still
 * being hashed): data frames read from the captured file, reference frames for cells the server holds
 * elsewhere. One cell is read at a time. When the link fails, the sender stops and remembers the error:
 * the job resends what the server lacks after reconnecting.
 */
export class CellSender {
  readonly counts: SendCounts = { cells: 0, references: 0, rawBytes: 0, wireBytes: 0 };
  failure: VrsError | null = null;
  private readonly queue: (
    | { kind: 'data'; position: number }
    | { kind: 'reference'; position: number; source: number }
  )[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly socket: TransferSocket,
    private readonly path: string,
    private readonly disk: string,
    private readonly manifest: () => Manifest,
    private readonly onSent: (counts: SendCounts) => void = () => undefined,
  ) {
    this.done = this.run();
  }

  /** Queues a cell to send as data. */
  data(position: number): void {
    this.queue.push({ kind: 'data', position });
    this.wake?.();
  }

  /** Queues a reference: the server holds this cell's content at `source`. */
  reference(position: number, source: number): void {
    this.queue.push({ kind: 'reference', position, source });
    this.wake?.();
  }

  /** Says nothing more comes; resolves when everything queued is sent (or the link failed). */
  async finish(): Promise<void> {
    this.ended = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    let handle: FileHandle | null = null;
    try {
      handle = await open(this.path, 'r');
      while (true) {
        const item = this.queue.shift();
        if (!item) {
          if (this.ended) return;
          await new Promise<void>((resolve) => {
            this.wake = resolve;
          });
          this.wake = null;
          continue;
        }
        if (this.failure) continue;
        await this.send(handle, item);
      }
    } catch (error) {
      this.failure =
        error instanceof VrsError
          ? error
          : new VrsError('IMAGE_UNREADABLE', (error as Error).message, { cause: error });
    } finally {
      await handle?.close();
    }
  }

  private async send(
    handle: FileHandle,
    item: { kind: 'data'; position: number } | { kind: 'reference'; position: number; source: number },
  ): Promise<void> {
    const manifest = this.manifest();
    const { offset, length } = cellRange(manifest.grid, item.position);
    const hash = cellHash(manifest, item.position);
    let frame: Uint8Array;
    if (item.kind === 'reference') {
      frame = encodeFrame({
        type: 'reference',
        disk: this.disk,
        position: item.position,
        source: item.source,
        length,
        hash,
      });
      this.counts.references++;
    } else {
      const payload = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(payload, 0, length, offset);
      frame = encodeFrame({
        type: 'data',
        disk: this.disk,
        position: item.position,
        hash,
        payload: payload.subarray(0, bytesRead),
      });
      this.counts.cells++;
      this.counts.rawBytes += length;
    }
    try {
      await this.socket.sendFrame(frame);
    } catch (error) {
      this.failure =
        error instanceof VrsError ? error : new VrsError('FRAME_TRUNCATED', (error as Error).message, { cause: error });
      return;
    }
    this.counts.wireBytes += frame.length;
    this.onSent(this.counts);
    if (item.kind === 'data') crashPoint(`snapshot:sent:${this.counts.cells}`);
  }
}
