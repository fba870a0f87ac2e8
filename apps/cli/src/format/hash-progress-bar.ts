import type { HashProgress } from '@vrs/block-engine';
import cliProgress from 'cli-progress';

/**
 * Takes a label; returns a progress callback drawing a bar on stderr when it is a terminal (nothing
 * otherwise, so pipes and --json output stay clean), and a `stop` to call when done.
 */
export function hashProgressBar(label: string): { onProgress: (p: HashProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% {done}/{total} MiB`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const mib = (n: number) => Math.round(n / 1048576);
  return {
    onProgress: (p) => {
      if (!started) {
        bar.start(p.bytesTotal, 0, { done: 0, total: mib(p.bytesTotal) });
        started = true;
      }
      bar.update(p.bytesDone, { done: mib(p.bytesDone), total: mib(p.bytesTotal) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
