import type { Logger } from 'pino';

/** An event the webhook receives. */
export type Notification =
  | { event: 'job.failed'; jobId: string; kind: string; vmUuid: string | null; code: string; message: string }
  | { event: 'rpo.missed'; vmUuid: string; vmName: string; lastSnapshotAt: string | null; rpoMinutes: number };

/**
 * POSTs notifications as JSON to the configured webhook (5 s timeout). Failures are logged, never thrown:
 * a broken webhook must not break a job. Without a webhook, notifications are only logged.
 */
export class Notifier {
  readonly sent: Notification[] = [];

  constructor(
    private readonly url: string | null,
    private readonly log: Logger,
  ) {}

  /** Takes a notification; delivers it. */
  async notify(notification: Notification): Promise<void> {
    this.log.info({ notification }, `notify ${notification.event}`);
    if (!this.url) return;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...notification, at: new Date().toISOString(), source: 'vrs-server' }),
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) this.log.warn({ status: response.status }, 'webhook answered with an error');
      this.sent.push(notification);
    } catch (error) {
      this.log.warn({ err: error }, 'webhook failed');
    }
  }
}
