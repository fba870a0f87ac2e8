import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { HashResult, HashTask } from './hash-worker.js';

// Worker threads load JavaScript only: from src/ (vitest) we use the built worker in dist/.
const WORKER = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/hash/hash-worker.js', import.meta.url)
  : new URL('./hash-worker.js', import.meta.url);

/** Options of a hash pool. */
export interface HashPoolOptions {
  /** Worker threads; defaults to the machine's parallelism, at most 8. */
  workers?: number;
}

/**
 * A pool of worker threads hashing image cells with BLAKE3. Each worker reads its own cells with
 * positioned reads through a 128 KiB buffer, so the main thread never holds cell data. Share one pool per process.
 */
export class HashPool {
  private readonly piscina: Piscina;
  readonly workers: number;

  constructor(options: HashPoolOptions = {}) {
    this.workers = Math.max(1, options.workers ?? Math.min(8, availableParallelism()));
    this.piscina = new Piscina({
      filename: WORKER.href,
      minThreads: this.workers,
      maxThreads: this.workers,
      idleTimeout: 30_000,
    });
  }

  /** Takes one task; resolves with its hashes. Rejects on a read error or when `signal` aborts. */
  run(task: HashTask, signal?: AbortSignal): Promise<HashResult> {
    return this.piscina.run(task, signal ? { signal } : {});
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
