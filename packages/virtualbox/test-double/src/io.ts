import { writeSync } from 'node:fs';

/** Where a command writes: stdout and stderr, written synchronously so nothing is lost at exit. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Returns an Io writing straight to file descriptors 1 and 2. */
export function processIo(): Io {
  return { out: (text) => writeAll(1, text), err: (text) => writeAll(2, text) };
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}
