import type { CapturedFile } from '@vrs/capture';
import { captureFileUuid } from '@vrs/protocol';

/** A captured file as the transfer names it: disk images by medium UUID, the others by a derived one. */
export interface TransferFile {
  uuid: string;
  role: CapturedFile['role'];
  sourcePath: string;
  readPath: string;
}

/** Takes the VM and its captured files; returns them named for the transfer. */
export function transferFiles(vm: string, files: readonly CapturedFile[]): TransferFile[] {
  return files.map((f) => ({
    uuid: f.mediumUuid ?? captureFileUuid(vm, f.role as 'config' | 'nvram' | 'state'),
    role: f.role,
    sourcePath: f.sourcePath,
    readPath: f.readPath,
  }));
}
