import { EventEmitter } from 'node:events';
import type { JobView } from './job-view.js';

/** Job changes as they happen (state and progress), for the console, the CLI and the metrics. */
export class JobEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(1000);
  }

  /** Takes a job's new view; tells every listener. */
  emit(job: JobView): void {
    this.emitter.emit('job', job);
  }

  /** Takes a listener; returns the function that removes it. */
  listen(listener: (job: JobView) => void): () => void {
    this.emitter.on('job', listener);
    return () => this.emitter.off('job', listener);
  }
}
