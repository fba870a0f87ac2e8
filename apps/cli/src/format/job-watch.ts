import type { JobView } from '@vrs/repository-server';
import cliProgress from 'cli-progress';
import type { Api } from '../remote/open-api.js';
import { formatSize } from './table.js';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Takes the connection and a job; follows its live changes until it ends, drawing a progress bar (phase, bytes,
 * rate, ETA) on stderr when it is a terminal. Returns the final job. Throws VrsError when the link is lost.
 */
export async function watchJob(c: Api, jobId: string): Promise<JobView> {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: '{phase} [{bar}] {percentage}% {done} of {total} {rate}/s ETA {eta_s}s',
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  return new Promise<JobView>((resolve, reject) => {
    const sub = c.api.jobs.watch.subscribe(
      { jobId },
      {
        onData: (job) => {
          const p = job.progress;
          const done = p.phase === 'transferring' || p.phase === 'committing' ? p.bytesSent : p.bytesRead;
          if (bar) {
            const payload = {
              phase: p.phase.padEnd(12),
              done: formatSize(done),
              total: formatSize(p.bytesTotal),
              rate: formatSize(Math.round(p.bytesPerSecond)),
            };
            if (!started && p.bytesTotal > 0) {
              bar.start(p.bytesTotal, done, payload);
              started = true;
            } else if (started) bar.update(Math.min(done, p.bytesTotal), payload);
          }
          if (FINAL.has(job.state)) {
            if (started) bar?.stop();
            sub.unsubscribe();
            resolve(job as JobView);
          }
        },
        onError: (error) => {
          if (started) bar?.stop();
          reject(error);
        },
      },
    );
  });
}
