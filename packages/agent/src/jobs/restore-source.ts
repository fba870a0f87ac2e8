import { MAX_WANT_POSITIONS } from '@vrs/protocol';
import type { TransferSocket } from '../connection/transfer-socket.js';
import { crashPoint } from '../crash-point.js';
import type { CellSource } from '../restore/restore-disk.js';

/**
 * Takes an open restore socket and a file's UUID; returns the CellSource restoreDisk reads from: the wanted
 * positions are asked for in batches of MAX_WANT_POSITIONS, and each cell arrives as a frame the socket
 * already checked against its hash (restoreDisk checks it again against the snapshot's manifest before it
 * writes anything).
 */
export function socketCellSource(socket: TransferSocket, disk: string, onBytes: (wire: number) => void): CellSource {
  return {
    async *cells(positions: readonly number[]) {
      let fetched = 0;
      for (let at = 0; at < positions.length; at += MAX_WANT_POSITIONS) {
        for await (const frame of socket.want(disk, positions.slice(at, at + MAX_WANT_POSITIONS))) {
          if (frame.type !== 'data') continue;
          onBytes(frame.wireLength);
          yield { position: frame.position, bytes: frame.payload };
          crashPoint(`restore:fetched:${++fetched}`);
        }
      }
    },
  };
}
