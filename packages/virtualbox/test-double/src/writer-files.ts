import { join } from 'node:path';

/** The files shared by the double and a VM's guest writer, all in the VM's runtime directory. */
export interface WriterFiles {
  /** Written by VBoxManage (under the state lock), read by the writer before every write. */
  control: string;
  /** Written by the writer: started, held/acknowledged, exit time. */
  status: string;
  /** One `<seq> <disk-uuid> <block>` line per completed write. */
  log: string;
  /** The writer's own stderr, for debugging. */
  stderr: string;
}

/** Takes a VM's runtime directory; returns the writer's files. */
export function writerFiles(runtimeDir: string): WriterFiles {
  return {
    control: join(runtimeDir, 'writer-control.json'),
    status: join(runtimeDir, 'writer-status.json'),
    log: join(runtimeDir, 'writer.log'),
    stderr: join(runtimeDir, 'writer.stderr'),
  };
}
