import { stat } from 'node:fs/promises';
import { hashImage, makeCellClassifier, planDelta } from '@vrs/block-engine';
import { cellHash, decodeManifest, type Manifest, VrsError } from '@vrs/protocol';
import { callWithRetry } from '../connection/call-with-retry.js';
import { TransferSocket } from '../connection/transfer-socket.js';
import { backoffWithJitter } from '../connection/vrs-client.js';
import type { TransferFile } from './captured-file.js';
import { CellSender, type SendCounts } from './cell-sender.js';
import type { JobContext } from './job-context.js';
import type { ProgressReporter } from './progress-reporter.js';

/** A captured file, hashed: what the seal sends. */
export interface HashedFile extends TransferFile {
  manifest: Manifest;
}

/** What sending a capture took: per-file manifests, frames sent, and how many times the link had to be reopened. */
export interface SendReport {
  files: HashedFile[];
  sent: SendCounts;
  reconnects: number;
}

/** An open transfer: the socket, the mirror's manifests, and what the server has staged for the job. */
interface Link {
  socket: TransferSocket;
  mirror: Map<string, Manifest | null>;
  staged: Map<string, Map<number, string>>;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const LINK_ATTEMPTS = 8;

/**
 * Takes the job context, the job and its captured files; hashes each file in the pool and, as cells come out of
 * the hasher, sends the ones the server's mirror lacks (data) or holds elsewhere (references), so that reading
 * and sending overlap. Cells the server already staged for this job with the same hash (a resumed job) are
 * skipped. When the link fails, hashing goes on; then the transfer is reopened (backoff with jitter) and only
 * what the server still lacks is sent. Returns the manifests and counts. Throws VrsError.
 */
export async function sendCapture(
  ctx: JobContext,
  jobId: string,
  files: readonly TransferFile[],
  progress: ProgressReporter,
): Promise<SendReport> {
  const total = (await Promise.all(files.map((f) => stat(f.readPath).then((s) => s.size)))).reduce((a, b) => a + b, 0);
  progress.update({ phase: 'hashing', bytesTotal: total });
  const sent: SendCounts = { cells: 0, references: 0, rawBytes: 0, wireBytes: 0 };
  let link: Link | null = await openLink(ctx, jobId, files).catch((error: VrsError) => {
    if (error.code !== 'FRAME_TRUNCATED') throw error;
    return null;
  });
  const mirror = link?.mirror ?? new Map<string, Manifest | null>();
  const hashed: HashedFile[] = [];
  let hashedBefore = 0;
  for (const file of files) {
    const classify = makeCellClassifier(mirror.get(file.uuid) ?? null);
    const staged = link?.staged.get(file.uuid) ?? new Map<number, string>();
    let current: Manifest | null = null;
    const sender = link
      ? new CellSender(
          link.socket,
          file.readPath,
          file.uuid,
          () => current as Manifest,
          (c) => progress.update({ bytesSent: sent.wireBytes + c.wireBytes }),
        )
      : null;
    const { manifest } = await hashImage(file.readPath, {
      pool: ctx.pool,
      signal: ctx.signal,
      onCells: (cells, m) => {
        current = m;
        for (const i of cells) {
          const action = classify(m, i);
          if (action.kind === 'send' && staged.get(i) !== hex(cellHash(m, i))) sender?.data(i);
          else if (action.kind === 'reference') sender?.reference(i, action.source);
        }
      },
      onProgress: (p) =>
        progress.update({ bytesRead: hashedBefore + p.bytesDone, bytesHashed: hashedBefore + p.bytesDone }),
    });
    hashedBefore += (await stat(file.readPath)).size;
    if (sender) {
      await sender.finish();
      add(sent, sender.counts);
      if (sender.failure) {
        if (sender.failure.code !== 'FRAME_TRUNCATED') throw sender.failure;
        ctx.log.warn(
          { job: jobId, err: sender.failure.message },
          'transfer link lost; hashing goes on, then it resumes',
        );
        link?.socket.close();
        link = null;
      }
    }
    hashed.push({ ...file, manifest });
  }
  progress.phase('transferring');
  let reconnects = 0;
  if (link) {
    const flushed = await link.socket.flush().then(
      () => true,
      (error: VrsError) => {
        if (error.code !== 'FRAME_TRUNCATED') throw error;
        return false;
      },
    );
    link.socket.close();
    if (flushed) return { files: hashed, sent, reconnects };
  }
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal.aborted) throw new VrsError('JOB_CANCELLED', 'the job was cancelled');
    reconnects++;
    try {
      await resend(ctx, jobId, hashed, sent, progress);
      return { files: hashed, sent, reconnects };
    } catch (error) {
      const e = error as VrsError;
      if (e.code !== 'FRAME_TRUNCATED' || attempt >= LINK_ATTEMPTS) throw error;
      ctx.log.warn({ job: jobId, attempt, err: e.message }, 'transfer link lost again; retrying');
      await new Promise((resolve) => setTimeout(resolve, backoffWithJitter(attempt)));
    }
  }
}

/** Reopens the transfer and sends every cell the server neither holds nor has staged; then flushes. */
async function resend(
  ctx: JobContext,
  jobId: string,
  files: HashedFile[],
  sent: SendCounts,
  progress: ProgressReporter,
) {
  const link = await openLink(ctx, jobId, files);
  try {
    for (const file of files) {
      const plan = planDelta(file.manifest, link.mirror.get(file.uuid) ?? null);
      const staged = link.staged.get(file.uuid) ?? new Map<number, string>();
      const sender = new CellSender(
        link.socket,
        file.readPath,
        file.uuid,
        () => file.manifest,
        (c) => progress.update({ bytesSent: sent.wireBytes + c.wireBytes }),
      );
      for (const { position, source } of plan.references) sender.reference(position, source);
      for (const i of plan.send) if (staged.get(i) !== hex(cellHash(file.manifest, i))) sender.data(i);
      await sender.finish();
      add(sent, sender.counts);
      if (sender.failure) throw sender.failure;
    }
    await link.socket.flush();
  } finally {
    link.socket.close();
  }
}

async function openLink(ctx: JobContext, jobId: string, files: readonly TransferFile[]): Promise<Link> {
  const opened = await callWithRetry(
    () => ctx.client.agent.openSnapshot.mutate({ jobId, files: files.map((f) => f.uuid) }),
    { signal: ctx.signal },
  );
  const { socket, ready } = await TransferSocket.open({
    server: ctx.server,
    fingerprint: ctx.fingerprint,
    job: jobId,
    token: opened.token,
  });
  const mirror = new Map(
    opened.mirror.map((m) => [m.uuid, m.manifest ? decodeManifest(Buffer.from(m.manifest, 'base64')) : null]),
  );
  const staged = new Map(Object.entries(ready.staged).map(([disk, cells]) => [disk, new Map(cells)]));
  return { socket, mirror, staged };
}

function add(into: SendCounts, from: SendCounts): void {
  into.cells += from.cells;
  into.references += from.references;
  into.rawBytes += from.rawBytes;
  into.wireBytes += from.wireBytes;
}
