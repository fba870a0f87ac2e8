import { emptyProgress, type JobPhase, type JobProgress } from '@vrs/protocol';

/** Counters a job updates; the reporter adds rate and ETA. */
export type ProgressCounters = Partial<Omit<JobProgress, 'bytesPerSecond' | 'etaSeconds'>>;

/**
 * Collects a job's progress and sends it to the server at most every `intervalMs` (and at each phase
 * change). The rate is that of the phase's leading counter (hashed while hashing, sent while transferring,
 * written while writing) over the last few seconds; the ETA divides what remains by it. A failed send is
 * dropped: progress is advisory, the outcome is not.
 */
export class ProgressReporter {
  private progress: JobProgress = emptyProgress('inspecting');
  private lastSent = 0;
  private samples: { at: number; done: number }[] = [];
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (progress: JobProgress) => Promise<unknown>,
    private readonly intervalMs = 500,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes new counters (and maybe a phase); records them and sends when due. */
  update(counters: ProgressCounters): void {
    const phaseChanged = counters.phase !== undefined && counters.phase !== this.progress.phase;
    if (phaseChanged) this.samples = [];
    this.progress = { ...this.progress, ...counters };
    const at = this.now();
    const done = this.leading();
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - (this.samples[0]?.at ?? at) > 5000) this.samples.shift();
    const first = this.samples[0] as { at: number; done: number };
    const seconds = (at - first.at) / 1000;
    const rate = seconds > 0.2 ? Math.max(0, (done - first.done) / seconds) : this.progress.bytesPerSecond;
    const remaining = Math.max(0, this.progress.bytesTotal - done);
    this.progress = { ...this.progress, bytesPerSecond: rate, etaSeconds: rate > 0 ? remaining / rate : null };
    if (phaseChanged || at - this.lastSent >= this.intervalMs) this.flush();
  }

  /** Takes a phase; switches to it. */
  phase(phase: JobPhase): void {
    this.update({ phase });
  }

  /** Returns the progress as it stands. */
  get current(): JobProgress {
    return this.progress;
  }

  /** Sends the progress now; resolves when the send is done. */
  flush(): Promise<void> {
    this.lastSent = this.now();
    const snapshot = this.progress;
    this.pending = this.pending.then(() =>
      this.send(snapshot).then(
        () => undefined,
        () => undefined,
      ),
    );
    return this.pending;
  }

  private leading(): number {
    const p = this.progress;
    if (p.phase === 'hashing' || p.phase === 'capturing') return p.bytesHashed;
    if (p.phase === 'writing') return p.bytesRead;
    return p.bytesSent;
  }
}
